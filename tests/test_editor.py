"""The VS Code extension: its grammar knows every keyword of the language, and it starts the language server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import ROOT

EDITORS = ROOT / "editors"


def grammar_keywords() -> set[str]:
    """Every word the Lark grammar spells out (`"import"`, `"minimize"`, ...) and every declaration kind."""
    from capplan.check.schema import KINDS

    lark = (ROOT / "grammar" / "capplan.lark").read_text()
    return set(re.findall(r'"([a-z][a-z_]*)"', lark)) | set(KINDS)


def textmate_keywords() -> set[str]:
    text = json.dumps(json.loads((EDITORS / "capplan.tmLanguage.json").read_text()))
    words = set()
    for group in re.findall(r"\\\\b\(([a-z|]+)\)", text) + re.findall(r"\(((?:[a-z]+\|)+[a-z]+)\)", text):
        words |= set(group.split("|"))
    return words


def test_textmate_grammar_covers_every_keyword_and_kind():
    missing = grammar_keywords() - textmate_keywords()
    assert not missing, f"the TextMate grammar lacks {sorted(missing)}"
    assert "goal" in textmate_keywords()


def test_textmate_grammar_names_no_word_the_language_lacks():
    extra = textmate_keywords() - grammar_keywords()
    assert not extra, f"the TextMate grammar highlights {sorted(extra)} as keywords"


def test_pygments_lexer_kinds_are_the_schemas():
    from capplan.lang.highlight import KINDS as LEXER_KINDS
    from capplan.check.schema import KINDS

    assert set(LEXER_KINDS) == set(KINDS)


def test_extension_starts_capplan_lsp_through_vscode_languageclient():
    manifest = json.loads((EDITORS / "package.json").read_text())
    assert manifest["main"] == "./extension.js" and (EDITORS / "extension.js").is_file()
    assert "vscode-languageclient" in manifest["dependencies"]
    assert manifest["activationEvents"] == ["onLanguage:capplan"]
    settings = manifest["contributes"]["configuration"]["properties"]
    assert settings["capplan.server.path"]["default"] == "capplan"
    assert settings["capplan.server.args"]["default"] == ["lsp"]
    source = (EDITORS / "extension.js").read_text()
    assert 'require("vscode-languageclient/node")' in source and "new LanguageClient(" in source
    assert 'language: "capplan"' in source
    from capplan.cli import _parser

    assert "lsp" in _parser()._subparsers._group_actions[0].choices  # the command the client runs exists


def test_extension_is_valid_javascript():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    out = subprocess.run([node, "--check", str(EDITORS / "extension.js")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_readme_says_how_to_package_the_extension():
    text = (EDITORS / "README.md").read_text()
    assert "npx @vscode/vsce package" in text and "code --install-extension capplan-0.1.0.vsix" in text
    assert "capplan.server.path" in text
