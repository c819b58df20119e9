import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isIntrospectionType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type ParseOptions,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxCost: number;
}

/**
 * Lists without a page size of their own (a patient's scans, a scan's reviews) are costed as this many items: the
 * estimate must grow with every nested list, or a small-looking query can fan out into tens of thousands of rows.
 */
export const UNPAGED_LIST_SIZE = 10;

/**
 * A query longer than this is refused while parsing, before validation (whose cost grows faster than the text):
 * the portal's largest query has a few hundred tokens.
 */
export const PARSE_OPTIONS: ParseOptions = { maxTokens: 10_000 };

/** Deepest field nesting of any operation in the document (fragments followed, cycles cut). */
export function queryDepth(document: DocumentNode, stopAbove = Infinity): number {
  const fragments = fragmentsOf(document);
  const depthOf = (selectionSet: SelectionSetNode | undefined, visited: ReadonlySet<string>): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, visited));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet, visited));
      } else if (!visited.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        deepest = Math.max(deepest, depthOf(fragment?.selectionSet, new Set([...visited, selection.name.value])));
      }
      if (deepest > stopAbove) return deepest; // no need to walk the rest of a hostile query
    }
    return deepest;
  };
  return Math.max(0, ...document.definitions.map((d) => (d.kind === Kind.OPERATION_DEFINITION ? depthOf(d.selectionSet, new Set()) : 0)));
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Thrown inside the walk once the estimate passes the limit: the rest of a hostile query is not worth walking. */
class OverBudget extends Error {}

interface CostWalk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  /** Field selections visited so far; every one adds at least 1 to the cost. */
  visited: number;
  stopAbove: number;
  /** Text arguments holding a NUL character, which PostgreSQL cannot store. */
  nulArguments: string[];
}

const containsNul = (value: unknown): boolean =>
  typeof value === 'string' ? value.includes('\u0000') : value !== null && typeof value === 'object' && Object.values(value).some(containsNul);

function fieldDefinition(schema: GraphQLSchema, parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (name === SchemaMetaFieldDef.name && parent === schema.getQueryType()) return SchemaMetaFieldDef;
  if (name === TypeMetaFieldDef.name && parent === schema.getQueryType()) return TypeMetaFieldDef;
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

/** Whether @skip / @include leave the selection out; when their variables do not fit, it is counted (execution says why). */
function isSkipped(walk: CostWalk, node: SelectionNode): boolean {
  try {
    return (
      getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true ||
      getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if === false
    );
  } catch {
    return false;
  }
}

/** The field's arguments as execution will see them; undefined when the variables do not fit (execution says why). */
function argumentsOf(walk: CostWalk, definition: GraphQLField<unknown, unknown>, node: FieldNode): Record<string, unknown> | undefined {
  try {
    return getArgumentValues(definition, node, walk.variables);
  } catch {
    return undefined;
  }
}

/**
 * Cost of a field: 1, plus its selections times the number of items it returns. A list returns its `first`
 * argument's worth of items, or that of the connection it belongs to (`worklist(first: 20) { edges … }`),
 * else UNPAGED_LIST_SIZE. Introspection fields count 1 each: the schema bounds them.
 */
function fieldCost(walk: CostWalk, parent: GraphQLNamedType, node: FieldNode, connectionPage: number | undefined): number {
  walk.visited += 1;
  if (walk.visited > walk.stopAbove) throw new OverBudget();
  const definition = fieldDefinition(walk.schema, parent, node.name.value);
  if (!definition) return 1; // validation has already refused the document
  const args = argumentsOf(walk, definition, node);
  if (args && containsNul(args)) walk.nulArguments.push(node.name.value);
  const type = getNamedType(definition.type);
  if (!node.selectionSet || !isCompositeType(type)) return 1;
  if (isIntrospectionType(type)) return 1 + selectionCost(walk, type, node.selectionSet, undefined);
  const first = typeof args?.first === 'number' ? Math.max(1, args.first) : undefined;
  if (isListType(getNullableType(definition.type))) {
    return 1 + (first ?? connectionPage ?? UNPAGED_LIST_SIZE) * selectionCost(walk, type, node.selectionSet, undefined);
  }
  return 1 + selectionCost(walk, type, node.selectionSet, first);
}

function selectionCost(walk: CostWalk, parent: GraphQLNamedType, selectionSet: SelectionSetNode, connectionPage: number | undefined): number {
  let cost = 0;
  for (const selection of selectionSet.selections) {
    if (isSkipped(walk, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      cost += fieldCost(walk, parent, selection, connectionPage);
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const typed = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
    // Both branches of an abstract type are added, not the larger one: an over-estimate, never an under-estimate.
    cost += selectionCost(walk, typed ?? parent, fragment.selectionSet, connectionPage);
  }
  return cost;
}

/**
 * Refuses, before any resolver runs, an operation nested deeper than `maxDepth`, or whose estimated cost (every
 * field 1, times the items of each list around it, so aliases count one by one) exceeds `maxCost`, or that passes
 * a NUL character in a text argument. Undefined when the operation may run.
 */
export function checkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: OperationLimits,
): GraphQLError | undefined {
  const depth = queryDepth(document, limits.maxDepth);
  if (depth > limits.maxDepth) {
    return tooLarge(`Query is nested ${depth} levels deep; the limit is ${limits.maxDepth}. Ask for fewer nested fields.`, {
      depth,
      maxDepth: limits.maxDepth,
    });
  }
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return undefined; // execution reports the missing operation
  const walk: CostWalk = { schema, fragments: fragmentsOf(document), variables: variables ?? {}, visited: 0, stopAbove: limits.maxCost, nulArguments: [] };
  let cost: number;
  try {
    cost = selectionCost(walk, root, operation.selectionSet, undefined);
  } catch (error) {
    if (!(error instanceof OverBudget)) throw error;
    cost = Infinity;
  }
  if (cost > limits.maxCost) {
    const said = Number.isFinite(cost) ? `would cost ${cost}` : `selects more than ${limits.maxCost} fields (aliases included)`;
    return tooLarge(`Query ${said}; the limit is ${limits.maxCost}. Ask for fewer rows or fields.`, {
      ...(Number.isFinite(cost) ? { cost } : {}),
      maxCost: limits.maxCost,
    });
  }
  if (walk.nulArguments.length > 0) {
    return new GraphQLError(`Text in ${walk.nulArguments.join(', ')} contains a NUL character (\\u0000), which no field accepts: remove it and send again`, {
      extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
    });
  }
  return undefined;
}

const tooLarge = (message: string, details: Record<string, number>) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...details, http: { status: 400 } } });
