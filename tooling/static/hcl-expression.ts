/*
 * HCL native-syntax expressions: a parser and an evaluator for the subset the
 * repository's .tf files use (literals, templates, tuples, objects, for
 * expressions, traversals, splats, operators, conditionals, function calls).
 *
 * Hand-written because no npm package evaluates HCL: @cdktf/hcl2json parses
 * files into JSON with the expressions left as "${...}" text, and its
 * getExpressionAst fails on every object constructor (`{ a = 1 }`), which the
 * policies in terraform/ are made of. The grammar follows HashiCorp's HCL
 * native syntax specification; anything outside the subset is refused with a
 * clear error rather than guessed.
 */

/** A parsed expression. */
export type Expr =
  | { kind: 'literal'; value: HclValue }
  | { kind: 'template'; parts: (string | Expr)[] }
  | { kind: 'tuple'; items: Expr[] }
  | { kind: 'object'; items: { key: Expr; value: Expr }[] }
  | { kind: 'variable'; name: string }
  | { kind: 'attr'; target: Expr; name: string }
  | { kind: 'index'; target: Expr; key: Expr }
  | { kind: 'splat'; target: Expr; each: Expr }
  | { kind: 'call'; name: string; args: Expr[]; expand: boolean }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; key?: Expr; value: Expr; condition?: Expr; object: boolean; group: boolean }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'conditional'; condition: Expr; then: Expr; else: Expr }
  | { kind: 'anon' };

/** A value an expression evaluates to; `Lazy` objects compute their attributes on demand (resources, modules). */
export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue } | Lazy;

/** An object whose attributes are computed when read (a resource instance, a module's outputs). */
export class Lazy {
  public constructor(
    public readonly label: string,
    private readonly read: (name: string) => HclValue,
    private readonly names: () => string[] = () => [],
  ) {}

  public get(name: string): HclValue {
    return this.read(name);
  }

  /** Every attribute, evaluated: for jsonencode and for iteration. */
  public toObject(): Record<string, HclValue> {
    return Object.fromEntries(this.names().map((name) => [name, this.read(name)]));
  }
}

/** An expression the evaluator cannot handle, or one that fails as Terraform's would. */
export class HclError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'HclError';
  }
}

// ---------------------------------------------------------------------------
// Tokens

type Token = { type: 'ident' | 'number' | 'punct' | 'string' | 'heredoc' | 'newline' | 'eof'; text: string; parts?: (string | Expr)[] };

const PUNCTUATION = [
  '...',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  '.',
  '?',
  ':',
  '=',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
];

/** The end of an interpolation `${...}` that starts at `start` (just after `${`): the index of its `}`. */
function interpolationEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') i = quotedEnd(text, i);
    else if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new HclError(`unterminated interpolation in ${text}`);
}

/** The index of the closing quote of the string that opens at `start`. */
function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\') i++;
    else if (char === '$' && text[i + 1] === '{') i = interpolationEnd(text, i + 2);
    else if (char === '"') return i;
  }
  throw new HclError(`unterminated string in ${text}`);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Template content (between the quotes, or a whole hcl2json value) as literal text and interpolations. */
export function parseTemplate(text: string, escapes = true): (string | Expr)[] {
  const parts: (string | Expr)[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (escapes && char === '\\') {
      const next = text[++i] ?? '';
      if (next === 'u') {
        literal += String.fromCharCode(parseInt(text.slice(i + 1, i + 5), 16));
        i += 4;
      } else literal += ESCAPES[next] ?? next;
    } else if (char === '$' && text[i + 1] === '$' && text[i + 2] === '{') {
      literal += '${';
      i += 2;
    } else if (char === '%' && text[i + 1] === '{') {
      throw new HclError(`template directives (%{...}) are not supported: ${text}`);
    } else if (char === '$' && text[i + 1] === '{') {
      const end = interpolationEnd(text, i + 2);
      if (literal) parts.push(literal);
      literal = '';
      parts.push(parseExpression(text.slice(i + 2, end).replace(/^~|~$/g, '')));
      i = end;
    } else literal += char;
  }
  if (literal) parts.push(literal);
  return parts;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '\n') {
      tokens.push({ type: 'newline', text: '\n' });
      i++;
    } else if (/\s/.test(char)) i++;
    else if (char === '#' || (char === '/' && text[i + 1] === '/')) while (i < text.length && text[i] !== '\n') i++;
    else if (char === '/' && text[i + 1] === '*') i = text.indexOf('*/', i + 2) + 2 || text.length;
    else if (/[0-9]/.test(char)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i))![0];
      tokens.push({ type: 'number', text: match });
      i += match.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i))![0];
      tokens.push({ type: 'ident', text: match });
      i += match.length;
    } else if (char === '"') {
      const end = quotedEnd(text, i);
      tokens.push({ type: 'string', text: text.slice(i, end + 1), parts: parseTemplate(text.slice(i + 1, end)) });
      i = end + 1;
    } else if (text.startsWith('<<', i)) {
      const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)\n/.exec(text.slice(i));
      if (!header) throw new HclError(`bad heredoc in ${text}`);
      const bodyStart = i + header[0].length;
      const close = new RegExp(`^[ \\t]*${header[2]}[ \\t]*$`, 'm');
      const rest = text.slice(bodyStart);
      const end = close.exec(rest);
      if (!end) throw new HclError(`unterminated heredoc ${header[2]}`);
      let body = rest.slice(0, end.index);
      if (header[1] === '-') {
        const lines = body.split('\n');
        const indent = Math.min(...lines.filter((line) => line.trim()).map((line) => /^[ \t]*/.exec(line)![0].length));
        body = lines.map((line) => line.slice(indent)).join('\n');
      }
      tokens.push({ type: 'heredoc', text: body, parts: parseTemplate(body, false) });
      i = bodyStart + end.index + end[0].length;
    } else {
      const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (!punct) throw new HclError(`unexpected character ${JSON.stringify(char)} in ${text}`);
      tokens.push({ type: 'punct', text: punct });
      i += punct.length;
    }
  }
  tokens.push({ type: 'eof', text: '' });
  return tokens;
}

// ---------------------------------------------------------------------------
// Parser (precedence climbing, HCL's operator table)

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

class Parser {
  private position = 0;
  public constructor(private readonly tokens: Token[]) {}

  private peek(skipNewlines = true): Token {
    return this.tokens[skipNewlines ? this.peekIndex() : this.position]!;
  }

  private next(): Token {
    while (this.tokens[this.position]!.type === 'newline') this.position++;
    return this.tokens[this.position++]!;
  }

  private is(text: string): boolean {
    const token = this.peek();
    return (token.type === 'punct' || token.type === 'ident') && token.text === text;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.text !== text) throw new HclError(`expected "${text}", found "${token.text}"`);
  }

  public parseAll(): Expr {
    const expr = this.expression();
    if (this.peek().type !== 'eof') throw new HclError(`unexpected "${this.peek().text}" after the expression`);
    return expr;
  }

  public expression(): Expr {
    const condition = this.binary(1);
    if (!this.is('?')) return condition;
    this.next();
    const then = this.expression();
    this.expect(':');
    return { kind: 'conditional', condition, then, else: this.expression() };
  }

  private binary(minimum: number): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      const precedence = token.type === 'punct' ? BINARY_PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence < minimum) return left;
      this.next();
      left = { kind: 'binary', op: token.text, left, right: this.binary(precedence + 1) };
    }
  }

  private unary(): Expr {
    if (this.is('!') || this.is('-')) {
      const op = this.next().text as '!' | '-';
      return { kind: 'unary', op, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(start: Expr): Expr {
    let expr = start;
    for (;;) {
      if (this.is('.')) {
        this.next();
        if (this.is('*')) {
          this.next();
          expr = { kind: 'splat', target: expr, each: this.splatTail() };
          continue;
        }
        const token = this.next();
        expr =
          token.type === 'number'
            ? { kind: 'index', target: expr, key: { kind: 'literal', value: Number(token.text) } }
            : { kind: 'attr', target: expr, name: token.text };
      } else if (this.peek(false).type === 'punct' && this.peek(false).text === '[') {
        this.next();
        if (this.is('*')) {
          this.next();
          this.expect(']');
          expr = { kind: 'splat', target: expr, each: this.splatTail() };
          continue;
        }
        const key = this.expression();
        this.expect(']');
        expr = { kind: 'index', target: expr, key };
      } else return expr;
    }
  }

  /** `.a.b[0]` after a splat, applied to each element (the anonymous symbol). */
  private splatTail(): Expr {
    let each: Expr = { kind: 'anon' };
    for (;;) {
      if (this.is('.') && this.tokens[this.position + 1]?.type === 'ident') {
        this.next();
        each = { kind: 'attr', target: each, name: this.next().text };
      } else if (this.peek(false).type === 'punct' && this.peek(false).text === '[') {
        this.next();
        const key = this.expression();
        this.expect(']');
        each = { kind: 'index', target: each, key };
      } else return each;
    }
  }

  private primary(): Expr {
    const token = this.next();
    if (token.type === 'number') return { kind: 'literal', value: Number(token.text) };
    if (token.type === 'string' || token.type === 'heredoc') return template(token.parts!);
    if (token.type === 'ident') {
      if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true' };
      if (token.text === 'null') return { kind: 'literal', value: null };
      if (this.peek(false).type === 'punct' && this.peek(false).text === '(') return this.call(token.text);
      return { kind: 'variable', name: token.text };
    }
    if (token.text === '(') {
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    if (token.text === '[') return this.is('for') ? this.forExpression(false) : this.tuple();
    if (token.text === '{') return this.is('for') ? this.forExpression(true) : this.object();
    throw new HclError(`unexpected "${token.text}"`);
  }

  private call(name: string): Expr {
    this.expect('(');
    const args: Expr[] = [];
    let expand = false;
    while (!this.is(')')) {
      args.push(this.expression());
      if (this.is('...')) {
        this.next();
        expand = true;
      }
      if (this.is(',')) this.next();
      else break;
    }
    this.expect(')');
    return { kind: 'call', name, args, expand };
  }

  private tuple(): Expr {
    const items: Expr[] = [];
    while (!this.is(']')) {
      items.push(this.expression());
      if (this.is(',')) this.next();
      else break;
    }
    this.expect(']');
    return { kind: 'tuple', items };
  }

  private object(): Expr {
    const items: { key: Expr; value: Expr }[] = [];
    while (!this.is('}')) {
      const at = this.peekIndex();
      const keyToken = this.tokens[at]!;
      // A bare identifier key is the name itself, not a variable.
      const bare = keyToken.type === 'ident' && ['=', ':'].includes(this.tokens[at + 1]?.text ?? '');
      const key: Expr = bare ? (this.next(), { kind: 'literal', value: keyToken.text }) : this.expression();
      const separator = this.next();
      if (separator.text !== '=' && separator.text !== ':') throw new HclError(`expected "=" in an object, found "${separator.text}"`);
      items.push({ key, value: this.expression() });
      if (this.is(',')) this.next();
    }
    this.expect('}');
    return { kind: 'object', items };
  }

  private peekIndex(): number {
    let i = this.position;
    while (this.tokens[i]!.type === 'newline') i++;
    return i;
  }

  private forExpression(object: boolean): Expr {
    this.expect('for');
    const first = this.next().text;
    let keyVar: string | undefined;
    let valueVar = first;
    if (this.is(',')) {
      this.next();
      keyVar = first;
      valueVar = this.next().text;
    }
    this.expect('in');
    const collection = this.expression();
    this.expect(':');
    let key: Expr | undefined;
    if (object) {
      key = this.expression();
      this.expect('=>');
    }
    const value = this.expression();
    let group = false;
    if (this.is('...')) {
      this.next();
      group = true;
    }
    let condition: Expr | undefined;
    if (this.is('if')) {
      this.next();
      condition = this.expression();
    }
    this.expect(object ? '}' : ']');
    return {
      kind: 'for',
      ...(keyVar ? { keyVar } : {}),
      valueVar,
      collection,
      ...(key ? { key } : {}),
      value,
      ...(condition ? { condition } : {}),
      object,
      group,
    };
  }
}

function template(parts: (string | Expr)[]): Expr {
  if (parts.length === 0) return { kind: 'literal', value: '' };
  if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'literal', value: parts[0] };
  return { kind: 'template', parts };
}

const parsed = new Map<string, Expr>();

/** Parses one expression (`var.a == null ? [] : [var.a]`). */
export function parseExpression(text: string): Expr {
  let expr = parsed.get(text);
  if (!expr) {
    expr = new Parser(tokenize(text)).parseAll();
    parsed.set(text, expr);
  }
  return expr;
}

/**
 * A value as hcl2json gives it: a string is template text (`"${var.a}/x"`; a
 * string that is one interpolation is that expression's value), arrays and
 * objects hold more of the same.
 */
export function parseValue(value: unknown): Expr {
  if (typeof value === 'string') return value.includes('${') ? template(parseTemplate(value, false)) : { kind: 'literal', value };
  if (Array.isArray(value)) return { kind: 'tuple', items: value.map(parseValue) };
  if (typeof value === 'object' && value !== null)
    return { kind: 'object', items: Object.entries(value).map(([key, item]) => ({ key: { kind: 'literal', value: key }, value: parseValue(item) })) };
  return { kind: 'literal', value: value as HclValue };
}
