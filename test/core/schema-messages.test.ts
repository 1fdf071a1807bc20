// Every message a schema words itself (an addIssue, a refine, a regex's) has its Chinese wording in
// the table validation.ts reads it in: one without would reach a Chinese reader of the API in English.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { schemaMessageText } from '../../src/core/validation.js';

const SOURCES = ['src/core', 'src/api', 'src/engine'];
/** Calls whose argument (or its `message`) is worded for the reader. */
const WORDING_CALLS = new Set(['addIssue', 'refine', 'superRefine', 'regex']);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function calledName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
}

/** The literal messages of schema checks in one file, with their lines (templates are matched by the table's patterns and left out). */
function schemaMessages(path: string): { where: string; message: string }[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { where: string; message: string }[] = [];
  const note = (node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral) => found.push({ where: `${path}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`, message: node.text });
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && WORDING_CALLS.has(calledName(node) ?? '')) {
      for (const argument of node.arguments) {
        if ((ts.isStringLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument)) && argument !== node.arguments[0]) note(argument);
        if (!ts.isObjectLiteralExpression(argument)) continue;
        for (const property of argument.properties) {
          if (ts.isPropertyAssignment(property) && property.name.getText() === 'message' && (ts.isStringLiteral(property.initializer) || ts.isNoSubstitutionTemplateLiteral(property.initializer))) note(property.initializer);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

describe('schema messages', () => {
  const messages = SOURCES.flatMap(sourceFiles).flatMap(schemaMessages);

  it('finds the schemas’ own messages', () => {
    expect(messages.map(({ message }) => message)).toContain('every value of a rule tag needs a condition');
  });

  it('words each one in Chinese', () => {
    const untranslated = messages.filter(({ message }) => schemaMessageText(message)['zh-CN'] === message && !/[\u4e00-\u9fff]/.test(message));
    expect(untranslated).toEqual([]);
  });
});
