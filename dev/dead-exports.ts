// Development only: lists exported symbols that nothing imports (no import, re-export, `import()`
// of the module or `import('…').X` type resolves to them). Run: npm run dev:dead-exports
// Reads tsconfig.json; skips logger/ (the public `sluice/logger` package), tests, benchmarks and
// modules re-exported whole (`export *`) or imported as a namespace. Lambda handlers are entry
// points by name and show up here on purpose; judge each line before removing anything.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const config = ts.getParsedCommandLineOfConfigFile(
  resolve(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);
if (!config) throw new Error('tsconfig.json could not be read');
const program = ts.createProgram(config.fileNames, config.options);
const checker = program.getTypeChecker();
const files = program
  .getSourceFiles()
  .filter((f) => f.fileName.startsWith(root) && !f.fileName.includes('/node_modules/'));

const used = new Set<string>();
const wholeModules = new Set<string>();
const keyOf = (symbol: ts.Symbol): string | undefined => {
  const s = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const decl = s.declarations?.[0];
  return decl ? `${decl.getSourceFile().fileName}#${s.name}` : undefined;
};
const mark = (node: ts.Node): void => {
  const s = checker.getSymbolAtLocation(node);
  const key = s && keyOf(s);
  if (key) used.add(key);
};
const moduleFile = (spec: ts.Expression): string | undefined =>
  checker.getSymbolAtLocation(spec)?.declarations?.[0]?.getSourceFile().fileName;

for (const file of files) {
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const target = moduleFile(node.moduleSpecifier);
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        if (clause?.name) mark(clause.name);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings) && target) wholeModules.add(target);
        if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) mark(e.name);
      } else if (!node.exportClause || ts.isNamespaceExport(node.exportClause)) {
        if (target) wholeModules.add(target);
      } else {
        for (const e of node.exportClause.elements) mark(e.propertyName ?? e.name);
      }
    }
    if (ts.isImportTypeNode(node) && node.qualifier) mark(node.qualifier);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0];
      if (arg && ts.isStringLiteral(arg)) {
        const resolved = ts.resolveModuleName(arg.text, file.fileName, config.options, ts.sys).resolvedModule;
        if (resolved) wholeModules.add(resolved.resolvedFileName);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

const skip = /(^logger\/|\.test\.ts$|\.bench\.ts$|^vitest\.config\.ts$|global-setup\.ts$)/;
for (const file of files) {
  const rel = relative(root, file.fileName);
  if (skip.test(rel) || wholeModules.has(file.fileName)) continue;
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) continue;
  for (const e of checker.getExportsOfModule(moduleSymbol)) {
    const key = keyOf(e);
    if (key && !used.has(key)) {
      const kind =
        e.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Interface) && !(e.flags & ts.SymbolFlags.Value);
      process.stdout.write(`${rel}\t${e.name}${kind ? '\t(type)' : ''}\n`);
    }
  }
}
