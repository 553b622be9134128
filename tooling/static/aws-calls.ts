import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { FUNCTIONS_DIR, REPO_ROOT } from './terraform-model.ts';

/*
 * The AWS calls each Lambda handler can make, derived from the code with the
 * TypeScript type checker, so the list follows every change of src/:
 *
 * 1. Reachability: from functions/<handler>/index.ts, every function, method
 *    and module-scope value of src/ that the handler can reach, following
 *    references through the checker (an interface member reaches every class
 *    and object literal of src/ that implements it).
 * 2. Call sites: in the reached code, each `new <X>Command(...)` of an AWS
 *    SDK client (and lib-dynamodb, lib-storage's Upload, Powertools'
 *    SSMProvider.get) is one call, its IAM action named by the operation.
 * 3. Resources: the request's TableName/IndexName/QueueUrl/Bucket/Key/Name
 *    are evaluated symbolically: literals, templates, constructor and call
 *    arguments at the reached call sites, interface properties through the
 *    object literals that set them, down to environment variables
 *    (`{env:LEDGER_TABLE}`, `{env:QUEUE_URLS}[*]`) and '*' for what is only
 *    known at run time (a customer, a run id).
 *
 * tooling/static/iam-grants.ts turns the patterns into ARNs with a stage's
 * rendered environment and evaluates them against the rendered policies.
 */

/** One AWS call a handler can make. */
export interface AwsCall {
  /** IAM action, `dynamodb:GetItem`. */
  action: string;
  /** Service of the request (dynamodb, sqs, s3, ssm). */
  service: string;
  /** What the request names, as patterns: `{ table: ['{env:RUNS_TABLE}'], index: [...] }`. */
  target: Record<string, string[]>;
  /** Where: `src/ledger/run-records.ts:34`. */
  site: string;
}

/** lib-dynamodb's document commands and the batch operations that IAM authorises as another action. */
const ACTION_OF_COMMAND: Readonly<Record<string, string>> = {
  'dynamodb:Get': 'dynamodb:GetItem',
  'dynamodb:Put': 'dynamodb:PutItem',
  'dynamodb:Update': 'dynamodb:UpdateItem',
  'dynamodb:Delete': 'dynamodb:DeleteItem',
  'dynamodb:BatchGet': 'dynamodb:BatchGetItem',
  'dynamodb:BatchWrite': 'dynamodb:BatchWriteItem',
  'dynamodb:TransactGet': 'dynamodb:TransactGetItems',
  'dynamodb:TransactWrite': 'dynamodb:TransactWriteItems',
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'sqs:ChangeMessageVisibilityBatch': 'sqs:ChangeMessageVisibility',
};

/** AWS SDK package => IAM service prefix. */
const SERVICE_OF_PACKAGE: Readonly<Record<string, string>> = {
  'client-dynamodb': 'dynamodb',
  'lib-dynamodb': 'dynamodb',
  'client-s3': 's3',
  'client-sqs': 'sqs',
  'client-ssm': 'ssm',
  'client-sfn': 'states',
  'client-lambda': 'lambda',
};

/** Request fields that name what a call touches, by service. */
const TARGET_FIELDS: Readonly<Record<string, readonly string[]>> = {
  dynamodb: ['TableName', 'IndexName', 'RequestItems'],
  sqs: ['QueueUrl'],
  s3: ['Bucket', 'Key'],
  ssm: ['Name'],
  states: ['executionArn'],
};

/** Most combinations a template may produce before its value counts as unknown. */
const MAX_VALUES = 32;
/** Deepest chain of references followed for one value. */
const MAX_DEPTH = 40;

type FunctionLike =
  | ts.FunctionDeclaration
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.ArrowFunction
  | ts.FunctionExpression
  | ts.GetAccessorDeclaration;

/** Parameters bound to the argument expressions of one call, and the binding those arguments evaluate in. */
interface Binding {
  args: Map<ts.ParameterDeclaration, { expr: ts.Expression | undefined; binding: Binding | undefined }>;
}

function isFunctionLike(node: ts.Node): node is FunctionLike {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node) ||
    ts.isGetAccessorDeclaration(node)
  );
}

function insideFunction(node: ts.Node): boolean {
  for (let current = node.parent; current; current = current.parent) if (isFunctionLike(current)) return true;
  return false;
}

/** The name a declaration introduces (`registry` of `{ registry: ... }`), which refers to nothing. */
function isDeclarationName(node: ts.Node): boolean {
  const parent = node.parent;
  if (!parent || ts.isShorthandPropertyAssignment(parent)) return false;
  const named = parent as ts.Node & { name?: ts.Node; propertyName?: ts.Node };
  const declares =
    ts.isPropertyAssignment(parent) ||
    ts.isMethodDeclaration(parent) ||
    ts.isPropertyDeclaration(parent) ||
    ts.isVariableDeclaration(parent) ||
    ts.isParameter(parent) ||
    ts.isFunctionDeclaration(parent) ||
    ts.isClassDeclaration(parent) ||
    ts.isGetAccessorDeclaration(parent) ||
    ts.isSetAccessorDeclaration(parent) ||
    ts.isBindingElement(parent) ||
    ts.isEnumMember(parent);
  return declares && (named.name === node || named.propertyName === node);
}

/** The interface or type-literal member a called signature belongs to, if any. */
function memberOf(declaration: ts.Declaration): ts.Declaration | undefined {
  if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) return declaration;
  if (ts.isFunctionTypeNode(declaration) && ts.isPropertySignature(declaration.parent)) return declaration.parent;
  return undefined;
}

/** A method or function-valued property of an object literal. */
function isObjectMember(node: ts.Node): boolean {
  if ((ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node)) && ts.isObjectLiteralExpression(node.parent)) return true;
  return (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isPropertyAssignment(node.parent) && ts.isObjectLiteralExpression(node.parent.parent)
  );
}

function unwrap(expr: ts.Expression): ts.Expression {
  let current = expr;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isNonNullExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isTypeAssertionExpression(current) ||
    ts.isAwaitExpression(current)
  )
    current = current.expression;
  return current;
}

function combine(parts: string[][]): string[] {
  let results = [''];
  for (const options of parts) {
    results = results.flatMap((prefix) => options.map((option) => prefix + option));
    if (results.length > MAX_VALUES) return ['*'];
  }
  return results;
}

/** The repository's program, for every handler at once. */
export class CallGraph {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly projectFiles: ts.SourceFile[];
  private readonly classes: ts.ClassDeclaration[] = [];
  private readonly objects: ts.ObjectLiteralExpression[] = [];
  private readonly calls: (ts.CallExpression | ts.NewExpression)[] = [];
  private readonly implementationCache = new Map<ts.Declaration, ts.Node[]>();
  private readonly signatureCache = new Map<ts.Node, ts.Declaration | undefined>();

  public constructor(private readonly handlers: readonly string[]) {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(REPO_ROOT, 'tsconfig.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    );
    this.program = ts.createProgram(
      handlers.map((handler) => join(FUNCTIONS_DIR, handler, 'index.ts')),
      { ...(config?.options ?? {}), noEmit: true },
    );
    this.checker = this.program.getTypeChecker();
    this.projectFiles = this.program.getSourceFiles().filter((file) => this.isProject(file.fileName));
    const collect = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node)) this.classes.push(node);
      if (ts.isObjectLiteralExpression(node)) this.objects.push(node);
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) this.calls.push(node);
      ts.forEachChild(node, collect);
    };
    for (const file of this.projectFiles) collect(file);
  }

  private isProject(fileName: string): boolean {
    const path = relative(REPO_ROOT, fileName).split(sep).join('/');
    return (path.startsWith('src/') || path.startsWith('functions/')) && !path.includes('node_modules');
  }

  private symbolOf(node: ts.Node): ts.Symbol | undefined {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  private declarationsOf(node: ts.Node): ts.Declaration[] {
    if (ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node) {
      const value = this.checker.getShorthandAssignmentValueSymbol(node.parent);
      return value?.declarations ?? [];
    }
    const symbol = this.symbolOf(node);
    const declarations = symbol?.declarations ?? [];
    return declarations.flatMap((declaration) => (ts.isBindingElement(declaration) ? this.bindingTargets(declaration) : [declaration]));
  }

  /** `const { x } = await import('...')`: the declarations of the property a binding element names (through a folder's index.ts to the re-exported one). */
  private bindingTargets(element: ts.BindingElement): ts.Declaration[] {
    const name = (element.propertyName ?? element.name).getText();
    const type = this.checker.getTypeAtLocation(element.parent);
    let property = this.checker.getPropertyOfType(type, name);
    if (property && property.flags & ts.SymbolFlags.Alias) property = this.checker.getAliasedSymbol(property);
    return property?.declarations?.filter((d) => !ts.isBindingElement(d)) ?? [];
  }

  /** Classes and object literals of the project that implement an interface member. */
  private implementations(member: ts.Declaration): ts.Node[] {
    let found = this.implementationCache.get(member);
    if (!found) {
      found = this.findImplementations(member);
      this.implementationCache.set(member, found);
    }
    return found;
  }

  /** The declaration a call resolves to (cached: the checker's answer does not change). */
  private calledDeclaration(site: ts.CallExpression | ts.NewExpression): ts.Declaration | undefined {
    if (!this.signatureCache.has(site)) this.signatureCache.set(site, this.checker.getResolvedSignature(site)?.getDeclaration());
    return this.signatureCache.get(site);
  }

  private findImplementations(member: ts.Declaration): ts.Node[] {
    const name = ts.getNameOfDeclaration(member)?.getText();
    const owner = member.parent;
    if (!name || !owner) return [];
    const ownerType = ts.isInterfaceDeclaration(owner)
      ? this.checker.getDeclaredTypeOfSymbol(this.checker.getSymbolAtLocation(owner.name)!)
      : this.checker.getTypeAtLocation(owner);
    const found: ts.Node[] = [];
    for (const cls of this.classes) {
      const own = cls.members.find((m) => m.name?.getText() === name);
      if (!own || !cls.name) continue;
      const instance = this.checker.getDeclaredTypeOfSymbol(this.checker.getSymbolAtLocation(cls.name)!);
      if (this.checker.isTypeAssignableTo(instance, ownerType)) found.push(own);
    }
    for (const object of this.objects) {
      const property = object.properties.find((p) => p.name?.getText() === name);
      if (!property) continue;
      const contextual = this.checker.getContextualType(object);
      if (!contextual) continue;
      const symbol = this.checker.getPropertyOfType(contextual.getNonNullableType(), name);
      if (symbol?.declarations?.includes(member)) found.push(property);
    }
    return found;
  }

  /** `{ profile: getCustomerProfile }`: a property that holds a function by reference. */
  private holdsFunction(node: ts.Node): boolean {
    if (!node.parent || !ts.isObjectLiteralExpression(node.parent)) return false;
    const value = ts.isPropertyAssignment(node) ? unwrap(node.initializer) : ts.isShorthandPropertyAssignment(node) ? node.name : undefined;
    if (!value || !(ts.isIdentifier(value) || ts.isPropertyAccessExpression(value))) return false;
    return this.checker.getTypeAtLocation(value).getCallSignatures().length > 0;
  }

  /** Everything a handler reaches: function-like nodes and module-scope expressions. */
  public reachable(handler: string, why?: Map<ts.Node, ts.Node>): Set<ts.Node> {
    const entry = this.program.getSourceFile(join(FUNCTIONS_DIR, handler, 'index.ts'));
    if (!entry) throw new Error(`functions/${handler}/index.ts is not in the program`);
    const reached = new Set<ts.Node>([entry]);
    const queue: ts.Node[] = [entry];
    let current: ts.Node = entry;
    const reach = (node: ts.Node | undefined): void => {
      if (node && !reached.has(node)) {
        why?.set(node, current);
        reached.add(node);
        queue.push(node);
      }
    };
    const declaration = (decl: ts.Node): void => {
      if (!this.isProject(decl.getSourceFile().fileName)) return;
      if (isFunctionLike(decl)) reach(decl);
      // A value computed at module scope (or a class field) runs its initializer; a function's own locals run with it.
      else if ((ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isPropertyAssignment(decl)) && decl.initializer) {
        const value = unwrap(decl.initializer);
        const reference = ts.isPropertyAssignment(decl) && (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value));
        if (isFunctionLike(value) || reference || !insideFunction(decl)) reach(value);
      } else if (ts.isShorthandPropertyAssignment(decl)) reach(decl.name);
      else if (ts.isClassDeclaration(decl)) {
        for (const member of decl.members)
          if (ts.isConstructorDeclaration(member) || (ts.isPropertyDeclaration(member) && member.initializer)) declaration(member);
      } else if (ts.isMethodSignature(decl) || ts.isPropertySignature(decl))
        for (const implementation of this.implementations(decl)) declaration(implementation);
    };
    const walk = (node: ts.Node): void => {
      if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isImportDeclaration(node)) return;
      // An object literal's methods, and functions it only holds, run when they are called (reached by reference), not when the object is built.
      if (isObjectMember(node) || this.holdsFunction(node)) return;
      if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && !isDeclarationName(node)) for (const decl of this.declarationsOf(node)) declaration(decl);
      ts.forEachChild(node, walk);
    };
    while (queue.length > 0) {
      const unit = queue.shift()!;
      current = unit;
      if (ts.isSourceFile(unit) || !isFunctionLike(unit)) walk(unit);
      else {
        for (const parameter of unit.parameters) if (parameter.initializer) walk(parameter.initializer);
        if (unit.body) walk(unit.body);
      }
    }
    return reached;
  }

  /**
   * The reached unit a node's code runs in: the nearest reached ancestor, through inline callbacks
   * (walked with their function); undefined inside an object literal's method that nothing calls.
   */
  private unitOf(node: ts.Node, reached: Set<ts.Node>): ts.Node | undefined {
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      if (reached.has(current)) return current;
      if (isObjectMember(current) || (isFunctionLike(current) && !ts.isArrowFunction(current) && !ts.isFunctionExpression(current))) return undefined;
    }
    return undefined;
  }

  private siteOf(node: ts.Node): string {
    const file = node.getSourceFile();
    return `${relative(REPO_ROOT, file.fileName).split(sep).join('/')}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  }

  /** The AWS calls a handler can make. */
  public awsCalls(handler: string): AwsCall[] {
    const reached = this.reachable(handler);
    const resolver = new ValueResolver(
      this.checker,
      this.calls,
      (n) => this.unitOf(n, reached),
      (d) => this.implementations(d),
      (c) => this.calledDeclaration(c),
    );
    const found: AwsCall[] = [];
    const seen = new Set<string>();
    for (const site of this.calls) {
      const unit = this.unitOf(site, reached);
      if (!unit) continue;
      // One call per caller of the enclosing function: the request's fields stay together (a name with its decrypt flag).
      for (const binding of resolver.callerBindings(unit)) {
        for (const call of this.describe(site, resolver, binding)) {
          const key = JSON.stringify(call);
          if (!seen.has(key)) {
            seen.add(key);
            found.push(call);
          }
        }
      }
    }
    return found.sort((a, b) => (a.action + a.site < b.action + b.site ? -1 : 1));
  }

  /** The call a `new XCommand(...)`, `new Upload(...)` or `provider.get(...)` makes, with its target patterns. */
  private describe(site: ts.CallExpression | ts.NewExpression, resolver: ValueResolver, binding: Binding | undefined): AwsCall[] {
    const callee = ts.isNewExpression(site) ? site.expression : ts.isPropertyAccessExpression(site.expression) ? site.expression.name : undefined;
    if (!callee) return [];
    const declaration = this.symbolOf(callee)?.declarations?.[0];
    const path = declaration?.getSourceFile().fileName.split(sep).join('/') ?? '';
    const sdk = /node_modules\/@aws-sdk\/([a-z0-9-]+)\//.exec(path)?.[1];
    const name = callee.getText();
    const argument = site.arguments?.[0];
    if (sdk === 'lib-storage' && name === 'Upload' && ts.isNewExpression(site)) {
      const params = argument && resolver.property(argument, 'params');
      const target = { bucket: params ? resolver.field(params, 'Bucket', binding) : ['*'], key: params ? resolver.field(params, 'Key', binding) : ['*'] };
      // A multipart upload's parts are authorised as PutObject; a failed upload aborts itself.
      return ['s3:PutObject', 's3:AbortMultipartUpload'].map((action) => ({ action, service: 's3', target, site: this.siteOf(site) }));
    }
    if (sdk && ts.isNewExpression(site) && name.endsWith('Command')) {
      const service = SERVICE_OF_PACKAGE[sdk];
      if (!service) return [];
      const operation = `${service}:${name.slice(0, -'Command'.length)}`;
      const target: Record<string, string[]> = {};
      for (const field of TARGET_FIELDS[service] ?? []) {
        if (!argument) continue;
        const values = field === 'RequestItems' ? resolver.keysOf(argument, field, binding) : resolver.field(argument, field, binding);
        if (values.length > 0) target[field === 'RequestItems' ? 'TableName' : field] = [...new Set([...(target[field] ?? []), ...values])];
      }
      return [{ action: ACTION_OF_COMMAND[operation] ?? operation, service, target: lowerKeys(target), site: this.siteOf(site) }];
    }
    if (/node_modules\/@aws-lambda-powertools\/parameters\//.test(path) && name === 'get' && ts.isCallExpression(site)) {
      const decrypt = site.arguments[1] ? resolver.field(site.arguments[1], 'decrypt', binding) : ['false'];
      return [
        {
          action: 'ssm:GetParameter',
          service: 'ssm',
          target: { name: site.arguments[0] ? resolver.value(site.arguments[0], binding) : ['*'], decrypt },
          site: this.siteOf(site),
        },
      ];
    }
    return [];
  }
}

function lowerKeys(target: Record<string, string[]>): Record<string, string[]> {
  const names: Record<string, string> = {
    TableName: 'table',
    IndexName: 'index',
    QueueUrl: 'queue',
    Bucket: 'bucket',
    Key: 'key',
    Name: 'name',
    executionArn: 'execution',
  };
  return Object.fromEntries(Object.entries(target).map(([key, values]) => [names[key] ?? key, values]));
}

/**
 * Evaluates an expression to the strings it can hold, as patterns: literal
 * text, `{env:NAME}` for an environment variable, `{env:NAME}[k]` for an
 * entry of a JSON map held in one, and '*' for what only a run knows.
 */
class ValueResolver {
  private readonly active = new Set<ts.Node>();
  /** Values of unbound expressions and the reached calls of a function: fixed for one handler. */
  private readonly unbound = new Map<ts.Node, string[]>();
  private readonly sites = new Map<ts.Node, (ts.CallExpression | ts.NewExpression)[]>();

  public constructor(
    private readonly checker: ts.TypeChecker,
    private readonly calls: readonly (ts.CallExpression | ts.NewExpression)[],
    private readonly unitOf: (node: ts.Node) => ts.Node | undefined,
    private readonly implementations: (member: ts.Declaration) => ts.Node[],
    private readonly calledDeclaration: (site: ts.CallExpression | ts.NewExpression) => ts.Declaration | undefined,
  ) {}

  /** The object literal an expression is (through a const), or undefined. */
  private objectLiteral(expr: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const node = unwrap(expr);
    if (ts.isObjectLiteralExpression(node)) return node;
    if (ts.isIdentifier(node)) {
      const decl = this.symbol(node)?.valueDeclaration;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return this.objectLiteral(decl.initializer);
    }
    return undefined;
  }

  /** A property's initializer in an object literal, spreads followed. */
  public property(expr: ts.Expression, name: string): ts.Expression | undefined {
    const object = this.objectLiteral(expr);
    if (!object) return undefined;
    for (const property of [...object.properties].reverse()) {
      if (ts.isPropertyAssignment(property) && property.name.getText() === name) return property.initializer;
      if (ts.isShorthandPropertyAssignment(property) && property.name.getText() === name) return property.name;
      if (ts.isSpreadAssignment(property)) {
        const inner = this.property(property.expression, name);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  public field(expr: ts.Expression, name: string, binding?: Binding): string[] {
    const initializer = this.property(expr, name);
    return initializer ? this.value(initializer, binding) : [];
  }

  /** A binding per reached call of a function (its arguments), or one empty binding. */
  public callerBindings(unit: ts.Node): (Binding | undefined)[] {
    if (!isFunctionLike(unit) || unit.parameters.length === 0) return [undefined];
    const sites = this.sitesOf(unit);
    if (sites.length === 0) return [undefined];
    return sites.map((site) => ({ args: new Map(unit.parameters.map((parameter, i) => [parameter, { expr: site.arguments?.[i], binding: undefined }])) }));
  }

  /** The computed keys of an object-valued field (`RequestItems: { [this.tableName]: ... }`). */
  public keysOf(expr: ts.Expression, name: string, binding?: Binding): string[] {
    const initializer = this.property(expr, name);
    const object = initializer && this.objectLiteral(initializer);
    if (!object) return [];
    return object.properties.flatMap((p) =>
      p.name && ts.isComputedPropertyName(p.name) ? this.value(p.name.expression, binding) : p.name ? [p.name.getText()] : [],
    );
  }

  private symbol(node: ts.Node): ts.Symbol | undefined {
    let symbol = this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  public value(expr: ts.Expression, binding?: Binding, depth = 0): string[] {
    if (!binding && this.unbound.has(expr)) return this.unbound.get(expr)!;
    if (depth > MAX_DEPTH || this.active.has(expr)) return [];
    this.active.add(expr);
    try {
      const values = [...new Set(this.evaluate(unwrap(expr), binding, depth + 1))];
      // A value cut short by a cycle is not final: only cache at the top.
      if (!binding && this.active.size === 1) this.unbound.set(expr, values);
      return values;
    } finally {
      this.active.delete(expr);
    }
  }

  private literalTypes(expr: ts.Expression): string[] | undefined {
    const type = this.checker.getTypeAtLocation(expr);
    const parts = type.isUnion() ? type.types : [type];
    if (parts.every((t) => t.isStringLiteral())) return parts.map((t) => (t as ts.StringLiteralType).value);
    if (parts.length === 1 && parts[0]!.flags & ts.TypeFlags.BooleanLiteral) return [this.checker.typeToString(parts[0]!)];
    return undefined;
  }

  private evaluate(expr: ts.Expression, binding: Binding | undefined, depth: number): string[] {
    if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isNumericLiteral(expr)) return [expr.text];
    if (expr.kind === ts.SyntaxKind.TrueKeyword) return ['true'];
    if (expr.kind === ts.SyntaxKind.FalseKeyword) return ['false'];
    if (ts.isTemplateExpression(expr)) {
      return combine([
        [expr.head.text],
        ...expr.templateSpans.flatMap((span) => [this.orUnknown(this.value(span.expression, binding, depth)), [span.literal.text]]),
      ]);
    }
    if (ts.isBinaryExpression(expr)) {
      const op = expr.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken)
        return combine([this.orUnknown(this.value(expr.left, binding, depth)), this.orUnknown(this.value(expr.right, binding, depth))]);
      if (op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.BarBarToken)
        return [...this.value(expr.left, binding, depth), ...this.value(expr.right, binding, depth)];
      return ['*'];
    }
    if (ts.isConditionalExpression(expr)) return [...this.value(expr.whenTrue, binding, depth), ...this.value(expr.whenFalse, binding, depth)];
    if (ts.isPropertyAccessExpression(expr) && expr.expression.getText() === 'process.env') return [`{env:${expr.name.text}}`];
    const literal = this.literalTypes(expr);
    if (literal) return literal;
    if (ts.isIdentifier(expr)) return this.identifier(expr, binding, depth);
    if (ts.isPropertyAccessExpression(expr)) return this.propertyAccess(expr, depth);
    if (ts.isElementAccessExpression(expr)) return this.elementAccess(expr, binding, depth);
    if (ts.isCallExpression(expr)) return this.call(expr, binding, depth);
    return ['*'];
  }

  private orUnknown(values: string[]): string[] {
    return values.length > 0 ? values : ['*'];
  }

  private identifier(expr: ts.Identifier, binding: Binding | undefined, depth: number): string[] {
    const shorthand = ts.isShorthandPropertyAssignment(expr.parent) && expr.parent.name === expr;
    const declaration = (shorthand ? this.checker.getShorthandAssignmentValueSymbol(expr.parent) : this.symbol(expr))?.valueDeclaration;
    if (!declaration) return ['*'];
    if (ts.isParameter(declaration)) return this.parameter(declaration, binding, depth);
    if (
      ts.isBindingElement(declaration) &&
      ts.isObjectBindingPattern(declaration.parent) &&
      ts.isVariableDeclaration(declaration.parent.parent) &&
      declaration.parent.parent.initializer
    ) {
      return this.member(declaration.parent.parent.initializer, (declaration.propertyName ?? declaration.name).getText(), binding, depth);
    }
    if (ts.isVariableDeclaration(declaration)) {
      const sources = [...(declaration.initializer ? [declaration.initializer] : []), ...this.assignmentsTo(declaration)];
      return sources.length > 0 ? sources.flatMap((source) => this.value(source, binding, depth)) : ['*'];
    }
    return ['*'];
  }

  /** `const { folder } = reportKeys(customer, runId)`: one property of what an expression evaluates to. */
  private member(expr: ts.Expression, name: string, binding: Binding | undefined, depth: number): string[] {
    const node = unwrap(expr);
    const object = this.objectLiteral(node);
    if (object) return this.orUnknown(this.field(object, name, binding));
    if (ts.isCallExpression(node)) {
      const declaration = this.calledDeclaration(node);
      if (declaration && isFunctionLike(declaration) && declaration.body) {
        const inner: Binding = { args: new Map(declaration.parameters.map((parameter, i) => [parameter, { expr: node.arguments[i], binding }])) };
        const body = declaration.body;
        const results = ts.isBlock(body)
          ? this.returnExpressions(declaration).flatMap((e) => this.member(e, name, inner, depth))
          : this.member(body, name, inner, depth);
        return this.orUnknown(results);
      }
    }
    return ['*'];
  }

  private returnExpressions(fn: FunctionLike): ts.Expression[] {
    const found: ts.Expression[] = [];
    const visit = (node: ts.Node): void => {
      if (node !== fn && isFunctionLike(node)) return;
      if (ts.isReturnStatement(node) && node.expression) found.push(node.expression);
      ts.forEachChild(node, visit);
    };
    if (fn.body) visit(fn.body);
    return found;
  }

  /** Right-hand sides of `name = ...` in the scope that declares a `let`. */
  private assignmentsTo(declaration: ts.VariableDeclaration): ts.Expression[] {
    const symbol = this.symbol(declaration.name);
    const found: ts.Expression[] = [];
    const scope = declaration.parent.parent.parent;
    const visit = (node: ts.Node): void => {
      if (
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isIdentifier(node.left) &&
        this.symbol(node.left) === symbol
      )
        found.push(node.right);
      ts.forEachChild(node, visit);
    };
    if (scope) visit(scope);
    return found;
  }

  /** A parameter: its bound argument, else the arguments of every reached call of its function. */
  private parameter(parameter: ts.ParameterDeclaration, binding: Binding | undefined, depth: number): string[] {
    const bound = binding?.args.get(parameter);
    if (bound) {
      if (bound.expr) return this.value(bound.expr, bound.binding, depth);
      return parameter.initializer ? this.value(parameter.initializer, binding, depth) : ['*'];
    }
    const fn = parameter.parent;
    const index = fn.parameters.indexOf(parameter);
    const values: string[] = [];
    for (const site of this.sitesOf(fn)) {
      const arg = site.arguments?.[index];
      values.push(...(arg ? this.value(arg, undefined, depth) : parameter.initializer ? this.value(parameter.initializer, undefined, depth) : ['*']));
    }
    return values.length > 0 ? values : ['*'];
  }

  /** Reached calls of a function (or `new` of a constructor's class), also through an interface it implements. */
  private sitesOf(fn: ts.SignatureDeclaration): (ts.CallExpression | ts.NewExpression)[] {
    if (!this.sites.has(fn)) this.sites.set(fn, this.findSites(fn));
    return this.sites.get(fn)!;
  }

  private findSites(fn: ts.SignatureDeclaration): (ts.CallExpression | ts.NewExpression)[] {
    return this.calls.filter((site) => {
      if (!this.unitOf(site)) return false;
      const called = this.calledDeclaration(site);
      if (called === fn) return true;
      const member = called && memberOf(called);
      return (
        member !== undefined && this.implementations(member).some((node) => node === fn || (ts.isPropertyAssignment(node) && unwrap(node.initializer) === fn))
      );
    });
  }

  private propertyAccess(expr: ts.PropertyAccessExpression, depth: number): string[] {
    const declaration = this.symbol(expr.name)?.declarations?.[0];
    if (!declaration) return ['*'];
    // A constructor's parameter property (`private readonly tableName: string`): the arguments of every reached `new`.
    if (ts.isParameter(declaration)) return this.parameter(declaration, undefined, depth);
    if (ts.isPropertyAssignment(declaration)) return this.value(declaration.initializer, undefined, depth);
    if (ts.isPropertyDeclaration(declaration)) return declaration.initializer ? this.value(declaration.initializer, undefined, depth) : ['*'];
    if (ts.isPropertySignature(declaration)) {
      // Set by this handler's code, or, for data that crossed a queue or a table (a claim check's
      // key), by whichever code of the project builds such an object.
      const all = this.implementations(declaration);
      const reached = all.filter((node) => this.unitOf(node));
      const values = (reached.length > 0 ? reached : all).flatMap((node) =>
        ts.isPropertyAssignment(node)
          ? this.value(node.initializer, undefined, depth)
          : ts.isShorthandPropertyAssignment(node)
            ? this.value(node.name, undefined, depth)
            : ['*'],
      );
      return values.length > 0 ? values : ['*'];
    }
    return ['*'];
  }

  private elementAccess(expr: ts.ElementAccessExpression, binding: Binding | undefined, depth: number): string[] {
    const keys = this.orUnknown(this.value(expr.argumentExpression, binding, depth));
    const type = this.checker.getTypeAtLocation(expr.expression);
    if (/ProcessEnv/.test(this.checker.typeToString(type))) return keys.map((key) => `{env:${key}}`);
    const keyPart = keys.length === 1 && !keys[0]!.includes('{') ? keys[0]! : '*';
    return this.orUnknown(this.value(expr.expression, binding, depth)).map((base) => `${base}[${keyPart}]`);
  }

  /** A call of a function of the project: its return values with the parameters bound; JSON.parse and string clean-ups pass their input through. */
  private call(expr: ts.CallExpression, binding: Binding | undefined, depth: number): string[] {
    const callee = expr.expression;
    const text = callee.getText();
    if (text === 'JSON.parse' || text === 'String') return expr.arguments[0] ? this.value(expr.arguments[0], binding, depth) : ['*'];
    if (ts.isPropertyAccessExpression(callee) && ['replace', 'trim', 'trimEnd', 'toString'].includes(callee.name.text))
      return this.value(callee.expression, binding, depth);
    const declaration = this.calledDeclaration(expr);
    const targets: ts.Node[] = [];
    const member = declaration && memberOf(declaration);
    if (declaration && isFunctionLike(declaration)) targets.push(declaration);
    else if (member) {
      for (const node of this.implementations(member)) {
        if (ts.isPropertyAssignment(node) && isFunctionLike(unwrap(node.initializer))) targets.push(unwrap(node.initializer));
        else if (isFunctionLike(node)) targets.push(node);
      }
    }
    const values = targets.flatMap((target) => this.returns(target as FunctionLike, expr, binding, depth));
    return values.length > 0 ? values : ['*'];
  }

  private returns(fn: FunctionLike, site: ts.CallExpression, binding: Binding | undefined, depth: number): string[] {
    const args = new Map(fn.parameters.map((parameter, i) => [parameter, { expr: site.arguments[i], binding }]));
    const inner: Binding = { args };
    if (!fn.body) return ['*'];
    if (!ts.isBlock(fn.body)) return this.value(fn.body, inner, depth);
    return this.returnExpressions(fn).flatMap((expr) => this.value(expr, inner, depth));
  }
}
