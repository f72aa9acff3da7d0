package io.jormundb.engine.expr;

import io.jormundb.engine.value.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resolves a parsed expression against one request's placeholders, producing the bound
 * {@link Expr} tree, and makes the checks that need the values: undefined placeholders, path
 * nesting depth, operand types of operators and functions, distinct operands, BETWEEN bounds,
 * IN operand count, and overlapping or conflicting document paths.
 */
final class Binder {
    static final int MAX_PATH_DEPTH = 32;
    static final int MAX_IN_OPERANDS = 100;
    private static final Set<String> TYPE_NAMES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");
    private static final String VALID_TYPE_NAMES = "{N,BS,L,B,NULL,M,S,SS,NS,BOOL}";
    /** What DynamoDB says attribute_type's second operand could have been when it is a path. */
    private static final String ANY_TYPE =
            "{SS,M,DECIMAL,DOUBLESET,HDS,N,B,DICT,INTSET,BOOL,HD,BS,INT,DECIMALSET,NULL,FLOAT,FS,S,L,NS,DOUBLE}";
    private static final Set<String> SIZED_TYPES = Set.of("S", "B", "SS", "NS", "BS", "L", "M");

    private final ExpressionKind kind;
    private final Placeholders placeholders;

    private Binder(ExpressionKind kind, Placeholders placeholders) {
        this.kind = kind;
        this.placeholders = placeholders;
    }

    static Expr.Cond condition(Ast.Cond cond, ExpressionKind kind, Placeholders placeholders) {
        return new Binder(kind, placeholders).cond(cond);
    }

    static List<Expr.DocPath> projection(Ast.ProjectionExpr projection, Placeholders placeholders) {
        Binder binder = new Binder(ExpressionKind.PROJECTION, placeholders);
        List<Expr.DocPath> paths = new ArrayList<>();
        for (Ast.Path path : projection.paths()) {
            paths.add(binder.path(path));
        }
        binder.checkOverlaps(paths);
        return paths;
    }

    /**
     * Binds an update: first every action's path, which must not overlap another, then the values
     * from the last action back to the first, as DynamoDB reports them.
     */
    static List<UpdatePlan.Action> update(Ast.UpdateExpr update, Placeholders placeholders) {
        Binder binder = new Binder(ExpressionKind.UPDATE, placeholders);
        List<Ast.Action> actions = new ArrayList<>();
        update.clauses().forEach(clause -> actions.addAll(clause.actions()));
        List<Expr.DocPath> paths = new ArrayList<>();
        for (Ast.Action action : actions) {
            paths.add(binder.path(action.path()));
        }
        binder.checkOverlaps(paths);
        UpdatePlan.Action[] bound = new UpdatePlan.Action[actions.size()];
        for (int i = actions.size() - 1; i >= 0; i--) {
            Ast.Action action = actions.get(i);
            Expr.DocPath path = paths.get(i);
            bound[i] = switch (action.section()) {
                case SET -> new UpdatePlan.SetAction(path, binder.operand(action.value()));
                case REMOVE -> new UpdatePlan.RemoveAction(path);
                case ADD -> new UpdatePlan.AddAction(path, binder.addOrDeleteValue(action));
                case DELETE -> new UpdatePlan.DeleteAction(path, binder.addOrDeleteValue(action));
            };
        }
        return List.of(bound);
    }

    // ---- conditions ----

    private Expr.Cond cond(Ast.Cond cond) {
        return switch (cond) {
            case Ast.And and -> new Expr.And(cond(and.left()), cond(and.right()));
            case Ast.Or or -> new Expr.Or(cond(or.left()), cond(or.right()));
            case Ast.Not not -> new Expr.Not(cond(not.operand()));
            case Ast.Compare compare -> {
                Expr.Operand left = operand(compare.left());
                Expr.Operand right = operand(compare.right());
                String symbol = compare.comparator().symbol();
                checkDistinct(symbol, left, List.of(right));
                if (compare.comparator().isOrdering()) {
                    checkOrderable(symbol, left);
                    checkOrderable(symbol, right);
                }
                yield new Expr.Compare(compare.comparator(), left, right);
            }
            case Ast.Between between -> {
                Expr.Operand value = operand(between.value());
                Expr.Operand lower = operand(between.lower());
                Expr.Operand upper = operand(between.upper());
                checkDistinct("BETWEEN", value, List.of(lower, upper));
                checkOrderable("BETWEEN", value);
                checkOrderable("BETWEEN", lower);
                checkOrderable("BETWEEN", upper);
                if (lower instanceof Expr.Literal lo && upper instanceof Expr.Literal hi) {
                    checkBounds(lo.value(), hi.value());
                }
                yield new Expr.Between(value, lower, upper);
            }
            case Ast.In in -> {
                Expr.Operand value = operand(in.value());
                List<Expr.Operand> candidates = new ArrayList<>();
                for (Ast.Operand candidate : in.candidates()) {
                    candidates.add(operand(candidate));
                }
                if (candidates.size() > MAX_IN_OPERANDS) {
                    throw Errors.invalid(kind,
                            "The IN operator is provided with too many operands; number of operands: " + candidates.size());
                }
                checkDistinct("IN", value, candidates);
                yield new Expr.In(value, candidates);
            }
            case Ast.CallCond callCond -> conditionCall(callCond.call());
        };
    }

    private void checkBounds(AttributeValue lower, AttributeValue upper) {
        String bounds = "lower bound operand: " + Values.describeBound(lower) + ", upper bound operand: "
                + Values.describeBound(upper);
        if (!lower.type().equals(upper.type())) {
            throw Errors.invalid(kind,
                    "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds);
        }
        if (Values.ordered(lower, upper) && Values.compare(lower, upper) > 0) {
            throw Errors.invalid(kind,
                    "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds);
        }
    }

    private Expr.Cond conditionCall(Ast.Call call) {
        List<Expr.Operand> args = arguments(call);
        String name = call.function();
        return switch (name) {
            case "attribute_exists" -> new Expr.Exists(requirePath(name, args.getFirst()));
            case "attribute_not_exists" -> new Expr.NotExists(requirePath(name, args.getFirst()));
            case "attribute_type" -> {
                checkDistinct(name, args.getFirst(), args.subList(1, 2));
                yield new Expr.TypeIs(args.getFirst(), typeName(args.get(1)));
            }
            case "begins_with" -> {
                checkDistinct(name, args.getFirst(), args.subList(1, 2));
                for (Expr.Operand arg : args) {
                    String type = staticType(arg);
                    if (type != null && !type.equals("S") && !type.equals("B")) {
                        throw Errors.invalid(kind, Errors.operandType(name, type));
                    }
                }
                yield new Expr.BeginsWith(args.get(0), args.get(1));
            }
            case "contains" -> {
                checkDistinct(name, args.getFirst(), args.subList(1, 2));
                yield new Expr.Contains(args.get(0), args.get(1));
            }
            default -> throw new IllegalStateException("not a condition function: " + name);
        };
    }

    private String typeName(Expr.Operand operand) {
        if (!(operand instanceof Expr.Literal literal)) {
            throw Errors.invalid(kind, Errors.operandType("attribute_type",
                    operand instanceof Expr.Size ? "N" : ANY_TYPE));
        }
        if (!(literal.value() instanceof AttributeValue.S s)) {
            throw Errors.invalid(kind, Errors.operandType("attribute_type", literal.value().type()));
        }
        if (!TYPE_NAMES.contains(s.value())) {
            throw Errors.invalid(kind,
                    "Invalid attribute type name found; type: " + s.value() + ", valid types: " + VALID_TYPE_NAMES);
        }
        return s.value();
    }

    // ---- operands ----

    private Expr.Operand operand(Ast.Operand operand) {
        return switch (operand) {
            case Ast.Path path -> new Expr.PathOf(path(path));
            case Ast.Value value -> new Expr.Literal(value(value.placeholder()));
            case Ast.Arithmetic arithmetic -> {
                Expr.Operand left = operand(arithmetic.left());
                Expr.Operand right = operand(arithmetic.right());
                String symbol = String.valueOf(arithmetic.operator());
                for (Expr.Operand side : List.of(left, right)) {
                    String type = staticType(side);
                    if (type != null && !type.equals("N")) {
                        throw Errors.invalid(kind, Errors.operandType(symbol, type));
                    }
                }
                yield new Expr.Arithmetic(arithmetic.operator() == '-', left, right);
            }
            case Ast.Call call -> operandCall(call);
        };
    }

    private Expr.Operand operandCall(Ast.Call call) {
        String name = call.function();
        if (kind == ExpressionKind.UPDATE && call.arguments().size() != Functions.arity(name)) {
            throw Errors.invalid(kind, Errors.operandCount(name, call.arguments().size()));
        }
        List<Expr.Operand> args = arguments(call);
        return switch (name) {
            case "size" -> {
                String type = staticType(args.getFirst());
                if (type != null && !SIZED_TYPES.contains(type)) {
                    throw Errors.invalid(kind, Errors.operandType(name, type));
                }
                yield new Expr.Size(args.getFirst());
            }
            case "if_not_exists" -> {
                Expr.DocPath path = requirePath(name, args.getFirst());
                checkDistinct(name, args.getFirst(), args.subList(1, 2));
                yield new Expr.IfNotExists(path, args.get(1));
            }
            case "list_append" -> {
                for (Expr.Operand arg : args) {
                    String type = staticType(arg);
                    if (type != null && !type.equals("L")) {
                        throw Errors.invalid(kind, Errors.operandType(name, type));
                    }
                }
                yield new Expr.ListAppend(args.get(0), args.get(1));
            }
            default -> throw new IllegalStateException("not an operand function: " + name);
        };
    }

    private List<Expr.Operand> arguments(Ast.Call call) {
        List<Expr.Operand> args = new ArrayList<>();
        for (Ast.Operand arg : call.arguments()) {
            args.add(operand(arg));
        }
        return args;
    }

    private AttributeValue addOrDeleteValue(Ast.Action action) {
        AttributeValue value = value(((Ast.Value) action.value()).placeholder());
        boolean allowed = Values.isSet(value)
                || action.section() == Ast.Section.ADD && value instanceof AttributeValue.N;
        if (!allowed) {
            throw Errors.invalid(kind, "Incorrect operand type for operator or function; operator: "
                    + action.section() + ", operand type: " + longTypeName(value) + ", typeSet: ALLOWED_FOR_"
                    + action.section() + "_OPERAND");
        }
        return value;
    }

    private static String longTypeName(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S ignored -> "STRING";
            case AttributeValue.N ignored -> "NUMBER";
            case AttributeValue.B ignored -> "BINARY";
            case AttributeValue.BOOL ignored -> "BOOLEAN";
            case AttributeValue.NULL ignored -> "NULL";
            case AttributeValue.L ignored -> "LIST";
            case AttributeValue.M ignored -> "MAP";
            case AttributeValue.SS ignored -> "STRING_SET";
            case AttributeValue.NS ignored -> "NUMBER_SET";
            case AttributeValue.BS ignored -> "BINARY_SET";
        };
    }

    private AttributeValue value(String placeholder) {
        AttributeValue value = placeholders.value(placeholder);
        if (value == null) {
            throw Errors.invalid(kind,
                    "An expression attribute value used in expression is not defined; attribute value: " + placeholder);
        }
        return value;
    }

    // ---- paths ----

    private Expr.DocPath path(Ast.Path path) {
        List<Expr.Step> steps = new ArrayList<>();
        for (Ast.PathPart part : path.parts()) {
            steps.add(switch (part) {
                case Ast.Name name -> new Expr.Field(name.placeholder() ? resolveName(name.text()) : name.text());
                case Ast.Index index -> new Expr.Element(Integer.parseInt(index.digits()));
            });
        }
        if (steps.size() > MAX_PATH_DEPTH) {
            throw Errors.invalid(kind,
                    "The document path has too many nesting levels; nesting levels: " + steps.size());
        }
        return new Expr.DocPath(steps);
    }

    private String resolveName(String placeholder) {
        String name = placeholders.name(placeholder);
        if (name == null) {
            throw Errors.invalid(kind,
                    "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
        }
        return name;
    }

    private Expr.DocPath requirePath(String function, Expr.Operand operand) {
        if (operand instanceof Expr.PathOf pathOf) {
            return pathOf.path();
        }
        throw Errors.invalid(kind, "Operator or function requires a document path; operator or function: " + function);
    }

    /** A type known before evaluation: a value's own, N for size(); null for a path. */
    private static String staticType(Expr.Operand operand) {
        return switch (operand) {
            case Expr.Literal literal -> literal.value().type();
            case Expr.Size ignored -> "N";
            default -> null;
        };
    }

    private void checkOrderable(String operator, Expr.Operand operand) {
        String type = staticType(operand);
        if (type != null && !Values.isScalarOrderedType(type)) {
            throw Errors.invalid(kind, Errors.operandType(operator, type));
        }
    }

    /** DynamoDB refuses {@code a = a}, {@code begins_with(a, a)} and the like. */
    private void checkDistinct(String operator, Expr.Operand first, List<Expr.Operand> rest) {
        if (!(first instanceof Expr.PathOf path)) {
            return;
        }
        for (Expr.Operand other : rest) {
            if (other instanceof Expr.PathOf o && o.path().equals(path.path())) {
                throw Errors.invalid(kind, "The first operand must be distinct from the remaining operands for this "
                        + "operator or function; operator: " + operator + ", first operand: " + path.path().describe());
            }
        }
    }

    /**
     * Two paths of one update or projection may not be one inside the other (overlap) nor use the
     * same attribute once as a map and once as a list (conflict).
     */
    private void checkOverlaps(List<Expr.DocPath> paths) {
        for (int j = 1; j < paths.size(); j++) {
            for (int i = 0; i < j; i++) {
                String clash = clash(paths.get(i), paths.get(j));
                if (clash != null) {
                    throw Errors.invalid(kind, "Two document paths " + clash + " with each other; must remove or "
                            + "rewrite one of these paths; path one: " + paths.get(i).describe() + ", path two: "
                            + paths.get(j).describe());
                }
            }
        }
    }

    private static String clash(Expr.DocPath a, Expr.DocPath b) {
        int common = Math.min(a.length(), b.length());
        for (int k = 0; k < common; k++) {
            Expr.Step x = a.steps().get(k);
            Expr.Step y = b.steps().get(k);
            if (x.getClass() != y.getClass()) {
                return "conflict";
            }
            if (!x.equals(y)) {
                return null;
            }
        }
        return "overlap";
    }
}
