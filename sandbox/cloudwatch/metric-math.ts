// The metric math the sandbox's alarms evaluate: one value per period (or
// none, a missing datapoint). Numbers, query ids, + - * /, parentheses,
// comparisons (> >= < <= == !=, 1 or 0), IF(condition, a[, b]) and FILL(x, v).
// Arithmetic with a missing value, and a division by zero, is missing. Any
// other function is refused when the alarm is put, as CloudWatch refuses an
// expression it cannot parse.

type Node =
  | { kind: 'number'; value: number }
  | { kind: 'id'; name: string }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'negate'; operand: Node }
  | { kind: 'call'; name: string; args: Node[] };

/** A parsed expression and the query ids it reads. */
export interface Expression {
  readonly ids: ReadonlySet<string>;
  evaluate(values: (id: string) => number | undefined): number | undefined;
}

const FUNCTIONS: Readonly<Record<string, [number, number]>> = { IF: [2, 3], FILL: [2, 2] };
const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z][A-Za-z0-9_]*)|(>=|<=|==|!=|[-+*/(),<>]))/y;
const PRECEDENCE: Readonly<Record<string, number>> = {
  '>': 1,
  '>=': 1,
  '<': 1,
  '<=': 1,
  '==': 1,
  '!=': 1,
  '+': 2,
  '-': 2,
  '*': 3,
  '/': 3,
};

/** Parses `text`; throws a `SyntaxError` naming what the sandbox does not evaluate. */
export function parseExpression(text: string): Expression {
  const tokens = tokenize(text);
  let at = 0;
  const ids = new Set<string>();
  const peek = () => tokens[at];
  const expect = (token: string) => {
    if (tokens[at] !== token) throw new SyntaxError(`expected "${token}" at token ${at + 1} of "${text}"`);
    at += 1;
  };
  const primary = (): Node => {
    const token = tokens[at++];
    if (token === undefined) throw new SyntaxError(`"${text}" ends too soon`);
    if (token === '(') {
      const inner = binary(0);
      expect(')');
      return inner;
    }
    if (token === '-') return { kind: 'negate', operand: primary() };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token) };
    if (/^[A-Za-z]/.test(token)) {
      if (peek() !== '(') {
        ids.add(token);
        return { kind: 'id', name: token };
      }
      const arity = FUNCTIONS[token];
      if (!arity) throw new SyntaxError(`the sandbox's metric math has no function ${token} (only IF and FILL)`);
      expect('(');
      const args = [binary(0)];
      while (peek() === ',') {
        at += 1;
        args.push(binary(0));
      }
      expect(')');
      if (args.length < arity[0] || args.length > arity[1]) {
        throw new SyntaxError(`${token} takes ${arity.join(' to ')} arguments, not ${args.length}`);
      }
      return { kind: 'call', name: token, args };
    }
    throw new SyntaxError(`unexpected "${token}" in "${text}"`);
  };
  const binary = (minimum: number): Node => {
    let left = primary();
    for (;;) {
      const op = peek();
      const precedence = op === undefined ? undefined : PRECEDENCE[op];
      if (op === undefined || precedence === undefined || precedence < minimum) break;
      at += 1;
      left = { kind: 'binary', op, left, right: binary(precedence + 1) };
    }
    return left;
  };
  const root = binary(0);
  if (at !== tokens.length) throw new SyntaxError(`unexpected "${tokens[at]}" in "${text}"`);
  return { ids, evaluate: (values) => evaluate(root, values) };
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new SyntaxError(`unexpected "${text.slice(start).trim()[0]}" in "${text}"`);
    tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return tokens;
}

const finite = (value: number): number | undefined => (Number.isFinite(value) ? value : undefined);

function evaluate(node: Node, values: (id: string) => number | undefined): number | undefined {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'id':
      return values(node.name);
    case 'negate': {
      const value = evaluate(node.operand, values);
      return value === undefined ? undefined : -value;
    }
    case 'call': {
      const [first, second, third] = node.args.map((arg) => () => evaluate(arg, values));
      if (node.name === 'FILL') return first?.() ?? second?.();
      const condition = first?.();
      if (condition === undefined) return undefined;
      return condition !== 0 ? second?.() : third?.();
    }
    case 'binary': {
      const left = evaluate(node.left, values);
      const right = evaluate(node.right, values);
      if (left === undefined || right === undefined) return undefined;
      return finite(arithmetic(node.op, left, right));
    }
  }
}

function arithmetic(op: string, left: number, right: number): number {
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '>':
      return Number(left > right);
    case '>=':
      return Number(left >= right);
    case '<':
      return Number(left < right);
    case '<=':
      return Number(left <= right);
    case '==':
      return Number(left === right);
    default:
      return Number(left !== right);
  }
}
