/**
 * Measures two shapes of packages/server/src that issue 9 asks about, with the
 * TypeScript compiler's own parser (typescript/unstable/sync, TypeScript 7):
 *
 * - import cycles between src/ folders: a folder imports another when any of
 *   its files imports (also `import type`) a file of the other; every cycle of
 *   that graph is listed, with one file-level import per edge as the witness;
 * - the longest functions in src/ (declarations, methods, arrows, function
 *   expressions), in lines from the first line of the signature to the last.
 *
 * Usage: node scripts/code-shape.mjs [--top N] [--runtime]   (from packages/server)
 * `--runtime` leaves out imports erased at runtime (`import type`, `export type`).
 * Exits 1 when a cycle between folders remains, so it can guard the rule.
 */
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SyntaxKind } from "typescript/unstable/ast";
import { API } from "typescript/unstable/sync";

const serverRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcRoot = resolve(serverRoot, "src");
const topIndex = process.argv.indexOf("--top");
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 10;
const runtimeOnly = process.argv.includes("--runtime");

const functionKinds = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

const api = new API({ cwd: serverRoot });
try {
  const snapshot = api.updateSnapshot({ openProjects: [resolve(serverRoot, "tsconfig.json")] });
  const program = snapshot.getProjects()[0].program;
  const files = program.getSourceFileNames().filter((name) => name.startsWith(`${srcRoot}/`));
  const folderEdges = new Map(); // "a -> b" => witness "a/x.ts -> b/y.ts"
  const functions = [];
  for (const fileName of files) {
    const sourceFile = program.getSourceFile(fileName);
    const from = relative(srcRoot, fileName);
    for (const target of importedFiles(sourceFile, fileName)) {
      const to = relative(srcRoot, target);
      const [fromFolder, toFolder] = [folderOf(from), folderOf(to)];
      const key = `${fromFolder} -> ${toFolder}`;
      if (fromFolder !== toFolder && !folderEdges.has(key)) folderEdges.set(key, `${from} -> ${to}`);
    }
    collectFunctions(sourceFile, from, functions);
  }
  const cycles = elementaryCycles(folderEdges);
  console.log(`Import cycles between src/ folders${runtimeOnly ? " (runtime imports only)" : ""}: ${cycles.length}`);
  for (const cycle of cycles.slice(0, top * 5)) console.log(`  ${cycle.join(" -> ")}`);
  if (cycles.length > top * 5) console.log(`  … and ${cycles.length - top * 5} more`);
  const inCycles = [...folderEdges.keys()].filter((key) => cycles.some((cycle) => containsEdge(cycle, key)));
  console.log(`Imports between folders that close a cycle: ${inCycles.length}`);
  for (const key of inCycles.sort()) console.log(`  ${key.padEnd(28)} e.g. ${folderEdges.get(key)}`);
  functions.sort((a, b) => b.lines - a.lines);
  console.log(`\nLongest functions in src/ (lines):`);
  for (const fn of functions.slice(0, top))
    console.log(`  ${String(fn.lines).padStart(4)}  ${fn.file}:${fn.line}  ${fn.name}`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
} finally {
  api.close();
}

/** A file directly in src/ (app.ts, clock.ts, errors.ts) counts as its own "folder": the composition root and the
 * leaves apart. */
function folderOf(path) {
  return path.includes("/") ? path.slice(0, path.indexOf("/")) : path;
}

/** Relative module specifiers of static imports, re-exports and dynamic imports, resolved to files of src/. */
function importedFiles(sourceFile, fileName) {
  const specifiers = [];
  const visit = (node) => {
    if (
      (node.kind === SyntaxKind.ImportDeclaration || node.kind === SyntaxKind.ExportDeclaration) &&
      node.moduleSpecifier
    ) {
      if (!(runtimeOnly && erasedAtRuntime(node))) specifiers.push(node.moduleSpecifier.text);
    } else if (node.kind === SyntaxKind.CallExpression && node.expression.kind === SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument?.kind === SyntaxKind.StringLiteral) specifiers.push(argument.text);
    }
    node.forEachChild(visit);
  };
  sourceFile.forEachChild(visit);
  return specifiers
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => resolve(dirname(fileName), specifier))
    .filter((target) => target.startsWith(`${srcRoot}/`));
}

/** `import type {…}`, `import { type A, type B }`, `export type {…}`: nothing of it exists at runtime. */
function erasedAtRuntime(node) {
  if (node.kind === SyntaxKind.ExportDeclaration) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false;
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    bindings?.kind === SyntaxKind.NamedImports &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function collectFunctions(sourceFile, file, into) {
  const visit = (node, name) => {
    if (functionKinds.has(node.kind)) {
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const end = sourceFile.getLineAndCharacterOfPosition(node.end).line;
      into.push({ file, line: start + 1, lines: end - start + 1, name: functionName(node) ?? name ?? "(anonymous)" });
    }
    const childName =
      node.kind === SyntaxKind.VariableDeclaration || node.kind === SyntaxKind.PropertyAssignment
        ? nameText(node.name)
        : undefined;
    node.forEachChild((child) => visit(child, childName));
  };
  sourceFile.forEachChild((node) => visit(node, undefined));
}

function functionName(node) {
  if (node.kind === SyntaxKind.Constructor) return "constructor";
  return node.name ? nameText(node.name) : undefined;
}

function nameText(name) {
  return name && (name.kind === SyntaxKind.Identifier || name.kind === SyntaxKind.StringLiteral)
    ? name.text
    : undefined;
}

function containsEdge(cycle, key) {
  return cycle.some((node, i) => i + 1 < cycle.length && `${node} -> ${cycle[i + 1]}` === key);
}

/** Every elementary cycle of a small directed graph, each listed once starting from its smallest node. */
function elementaryCycles(edges) {
  const next = new Map();
  for (const key of edges.keys()) {
    const [from, to] = key.split(" -> ");
    next.set(from, [...(next.get(from) ?? []), to].sort());
  }
  const cycles = [];
  const nodes = [...next.keys()].sort();
  for (const start of nodes) {
    const walk = (node, path) => {
      for (const to of next.get(node) ?? []) {
        if (to === start) cycles.push([...path, start]);
        else if (to > start && !path.includes(to)) walk(to, [...path, to]);
      }
    };
    walk(start, [start]);
  }
  return cycles;
}
