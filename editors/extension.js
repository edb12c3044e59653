// The capplan VS Code extension: highlighting (capplan.tmLanguage.json) and the language server.
// It starts `capplan lsp` (LSP over stdio) through vscode-languageclient for every *.plan file:
// diagnostics as you type, hover, completion and go to definition come from the server.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("capplan");
  const command = settings.get("server.path") || "capplan";
  const args = settings.get("server.args") || ["lsp"];
  const serverOptions = {
    run: { command, args, transport: TransportKind.stdio },
    debug: { command, args, transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "capplan" }, { scheme: "untitled", language: "capplan" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/{*.plan,capplan.toml}") },
  };
  client = new LanguageClient("capplan", "capplan language server", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `capplan: could not start \`${command} ${args.join(" ")}\` (${error.message}). ` +
        "Install capplan with its lsp extra, or set capplan.server.path.");
  });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
