// Prints a syntax tree back as source text in one canonical layout. Parsing the printed
// text gives the same tree (positions aside): parentheses are added exactly where the
// tree nests in a way precedence alone would not reproduce.
import type { Duration, Expression, Literal } from './ast.js';
import { BARE_NAME_PATTERN, isKeywordLike } from './token.js';

export function printExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'or':
      // An `or` inside an `or` was written in parentheses; anything tighter needs none.
      return expression.operands.map((operand) => (operand.kind === 'or' ? `(${printExpression(operand)})` : printExpression(operand))).join(' or ');
    case 'and':
      return expression.operands.map((operand) => (operand.kind === 'or' || operand.kind === 'and' ? `(${printExpression(operand)})` : printExpression(operand))).join(' and ');
    case 'not': {
      const operand = expression.operand;
      return operand.kind === 'or' || operand.kind === 'and' ? `not (${printExpression(operand)})` : `not ${printExpression(operand)}`;
    }
    case 'comparison':
      return `${printName(expression.subject.name)} ${expression.operator} ${printLiteral(expression.value)}`;
    case 'in':
      return `${printName(expression.subject.name)} ${expression.negated ? 'not in' : 'in'} ${printList(expression.values)}`;
    case 'between':
      return `${printName(expression.subject.name)} between ${printLiteral(expression.low)} and ${printLiteral(expression.high)}`;
    case 'has':
      return `${printName(expression.subject.name)} has ${expression.quantifier} ${printList(expression.values)}`;
    case 'presence':
      return `${printName(expression.subject.name)} ${expression.operator}`;
    case 'within':
      return `${printName(expression.subject.name)} within ${printDuration(expression.duration)}`;
    case 'bare':
      return printName(expression.subject.name);
    case 'tagged':
      return `tagged(${printString(expression.tag.value)})`;
    case 'segment':
      return `segment(${printString(expression.segment.value)})`;
    default: {
      const unreachable: never = expression;
      return unreachable;
    }
  }
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'string':
      return printString(literal.value);
    case 'number':
      return String(literal.value);
    case 'boolean':
      return literal.value ? 'true' : 'false';
    case 'date':
      return `date(${printString(literal.value)})`;
    case 'ago':
      return `${printDuration(literal.duration)} ago`;
    default: {
      const unreachable: never = literal;
      return unreachable;
    }
  }
}

export function printDuration(duration: Duration): string {
  return `${String(duration.amount)} ${duration.unit}${duration.amount === 1 ? '' : 's'}`;
}

/** A name bare when it reads as one identifier, else in backticks (keywords included, so context never matters). */
export function printName(name: string): string {
  if (BARE_NAME_PATTERN.test(name) && !isKeywordLike(name)) return name;
  return `\`${escapeText(name, '`')}\``;
}

export function printString(value: string): string {
  return `"${escapeText(value, '"')}"`;
}

function printList(values: readonly Literal[]): string {
  return `(${values.map(printLiteral).join(', ')})`;
}

/** Escapes the quote, backslashes and the characters a quoted text may not hold raw (line breaks). */
function escapeText(text: string, quote: string): string {
  let result = '';
  for (const char of text) {
    if (char === quote || char === '\\') result += `\\${char}`;
    else if (char === '\n') result += '\\n';
    else if (char === '\r') result += '\\r';
    else if (char === '\t') result += '\\t';
    else result += char;
  }
  return result;
}
