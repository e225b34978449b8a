// Process entry of the language server; the transport (--stdio / --node-ipc) is chosen by the command line.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/startServer';

const connection = createConnection(ProposedFeatures.all);
startServer(connection);
connection.listen();
