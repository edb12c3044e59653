"""Issue 12, language server: every request is answered, the server never dies.

Driven as a hostile or buggy editor would: positions out of range (huge and negative),
params of the wrong shape or missing, documents the server never opened, didChange and
didClose for unknown documents, and frames whose bodies are not JSON-RPC at all. After all
of it the server must still answer a normal hover.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from test_lsp import LspClient  # noqa: E402

INVALID_PARAMS = -32602


def _request(client: LspClient, method: str, params) -> dict:
    client.next_id += 1
    ident = client.next_id
    client.send({"id": ident, "method": method, "params": params})
    _, reply = client.wait(lambda m: m.get("id") == ident and "method" not in m, timeout=20)
    return reply


@pytest.fixture
def server(tmp_path):
    (tmp_path / "capplan.toml").write_text("")
    client = LspClient(tmp_path)
    client.initialize(tmp_path)
    uri = (tmp_path / "a.plan").as_uri()
    client.open(uri, "const x = 1 GiB\n")
    client.diagnostics(uri)
    yield client, uri
    client.close()


def test_out_of_range_and_invalid_positions_are_answered(server):
    client, uri = server
    far = {"textDocument": {"uri": uri}, "position": {"line": 10 ** 9, "character": 10 ** 9}}
    assert _request(client, "textDocument/hover", far).get("result") is None
    assert "result" in _request(client, "textDocument/completion", far)
    assert "result" in _request(client, "textDocument/definition", far)
    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
        negative = {"textDocument": {"uri": uri}, "position": {"line": -1, "character": -5}}
        assert _request(client, method, negative)["error"]["code"] == INVALID_PARAMS


@pytest.mark.parametrize("params", [None, {}, {"nonsense": 1}, [1, 2], {"textDocument": {"uri": 5}}])
def test_malformed_params_get_an_error_response(server, params):
    client, _ = server
    reply = _request(client, "textDocument/hover", params)
    assert reply["error"]["code"] == INVALID_PARAMS


def test_unknown_documents_and_methods_are_answered(server):
    client, _ = server
    unknown = {"textDocument": {"uri": "file:///never/opened.plan"}, "position": {"line": 0, "character": 0}}
    for method in ("textDocument/hover", "textDocument/completion", "textDocument/definition"):
        assert "result" in (reply := _request(client, method, unknown)) or "error" in reply
    assert _request(client, "capplan/no-such-method", {})["error"]["code"] == -32601


def test_garbage_frames_and_notifications_do_not_kill_the_server(server):
    client, uri = server
    client.notify("textDocument/didChange", {"textDocument": {"uri": "file:///unknown.plan", "version": 2},
                                             "contentChanges": [{"text": "x"}]})
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3}, "contentChanges": [
        {"range": {"start": {"line": 50, "character": 0}, "end": {"line": 60, "character": 0}}, "text": "y"}]})
    client.notify("textDocument/didClose", {"textDocument": {"uri": "file:///never.plan"}})
    client.notify("textDocument/didOpen", {"textDocument": {"uri": 7}})
    for body in (b"{bad json", b"[]", b'{"jsonrpc": 1}', b'{"jsonrpc": "2.0", "id": 99}', b"\xff\xfe"):
        client.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        client.proc.stdin.flush()
    reply = _request(client, "textDocument/hover", {"textDocument": {"uri": uri},
                                                    "position": {"line": 0, "character": 6}})
    assert client.proc.poll() is None
    assert "result" in reply
