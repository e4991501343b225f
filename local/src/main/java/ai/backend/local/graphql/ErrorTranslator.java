package ai.backend.local.graphql;

import ai.backend.client.internal.Json;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.GraphQLContext;
import graphql.GraphQLError;
import graphql.InvalidSyntaxError;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.validation.ValidationError;
import graphql.validation.ValidationErrorClassification;
import graphql.validation.ValidationErrorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns graphql-java's errors into the error objects the 19.03 manager sends (graphql-core 2's
 * {@code format_error}: {@code message}, then {@code locations} and {@code path} when known), re-wording
 * the common validation, syntax and variable errors as graphql-core 2 words them. Errors without a
 * graphql-core 2 counterpart keep graphql-java's text, minus its {@code Validation error (...) :} prefix.
 */
final class ErrorTranslator {
    private static final Pattern PREFIX = Pattern.compile("^Validation error \\([^)]*\\)\\s*:\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern MISSING_ARG = Pattern.compile("Missing field argument '(.*)'$");
    private static final Pattern MISMATCH = Pattern.compile(
            "Variable '(.*)' of type '(.*)' used in position expecting type '(.*)'$");
    private static final Pattern UNDEFINED_VAR = Pattern.compile("Undefined variable '(.*)'$");
    private static final Pattern UNUSED_VAR = Pattern.compile("Unused variable '(.*)'$");
    private static final Pattern UNKNOWN_TYPE = Pattern.compile("Unknown type '(.*)'$");
    private static final Pattern UNSUPPORTED_OPERATION = Pattern.compile("The '(\\w+)' operation is not supported");
    private static final Pattern LINE_BREAK = Pattern.compile("\r\n|[\n\r\u000B\u000C\u001C\u001D\u001E\u0085\u2028\u2029]");

    private final GraphQLSchema schema;
    private final String query;
    private final Map<String, Object> variables;
    private DocumentIndex index;
    private boolean indexed;

    ErrorTranslator(GraphQLSchema schema, String query, Map<String, Object> variables) {
        this.schema = schema;
        this.query = query;
        this.variables = variables == null ? Map.of() : variables;
    }

    /** The error objects for {@code errors}, in order. */
    ArrayNode translate(List<GraphQLError> errors) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        String unsupportedOperation = null;
        for (GraphQLError e : errors) {
            if (e instanceof ValidationError v) {
                ValidationErrorClassification type = v.getValidationErrorType();
                if (type == ValidationErrorType.UnknownOperation) {
                    // graphql-core 2 has no such validation rule: the executor reports it, if nothing else failed
                    Matcher m = UNSUPPORTED_OPERATION.matcher(v.getMessage());
                    unsupportedOperation = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "mutation";
                    continue;
                }
                if (type == ValidationErrorType.NullValueForNonNullArgument) {
                    continue; // reported again as WrongType on the argument's value
                }
                out.add(validation(v));
            } else if (e instanceof InvalidSyntaxError s) {
                out.add(syntax(s.getLocations(), s.getOffendingToken(), s.getMessage()));
            } else {
                ObjectNode variable = variableError(e);
                out.add(variable != null ? variable : error(e.getMessage(), e.getLocations(), e.getPath()));
            }
        }
        if (out.isEmpty() && unsupportedOperation != null) {
            out.add(error("Schema is not configured for " + unsupportedOperation + "s", null, null));
        }
        return out;
    }

    static ObjectNode error(String message, List<SourceLocation> locations, List<Object> path) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("message", message == null ? "" : message);
        if (locations != null && !locations.isEmpty()) {
            ArrayNode locs = o.putArray("locations");
            for (SourceLocation l : locations) {
                if (l != null) {
                    locs.addObject().put("line", l.getLine()).put("column", l.getColumn());
                }
            }
        }
        if (path != null && !path.isEmpty()) {
            ArrayNode p = o.putArray("path");
            for (Object segment : path) {
                if (segment instanceof Integer i) {
                    p.add(i);
                } else {
                    p.add(String.valueOf(segment));
                }
            }
        }
        return o;
    }

    private DocumentIndex index() {
        if (!indexed) {
            indexed = true;
            try {
                Document doc = Parser.parse(query);
                index = new DocumentIndex(schema, doc);
            } catch (RuntimeException e) {
                index = null;
            }
        }
        return index;
    }

    // ---- validation errors

    private ObjectNode validation(ValidationError v) {
        SourceLocation loc = v.getLocations() == null || v.getLocations().isEmpty() ? null : v.getLocations().get(0);
        String fallback = PREFIX.matcher(v.getDescription() == null ? v.getMessage() : v.getDescription()).replaceFirst("");
        DocumentIndex idx = index();
        ObjectNode translated = null;
        if (idx != null && loc != null && v.getValidationErrorType() instanceof ValidationErrorType type) {
            translated = validation(type, loc, fallback, idx);
        }
        return translated != null ? translated : error(fallback, v.getLocations(), null);
    }

    private ObjectNode validation(ValidationErrorType type, SourceLocation loc, String text, DocumentIndex idx) {
        switch (type) {
            case FieldUndefined: {
                DocumentIndex.FieldSite site = idx.field(loc);
                if (site == null || site.parent() == null) {
                    return null;
                }
                return error(undefinedFieldMessage(site.field().getName(), site.parent()), List.of(loc), null);
            }
            case UnknownArgument: {
                DocumentIndex.ArgumentSite site = idx.argument(loc);
                if (site == null || site.field().definition() == null || site.field().parent() == null) {
                    return null;
                }
                GraphQLFieldDefinition def = site.field().definition();
                String message = "Unknown argument \"" + site.argument().getName() + "\" on field \"" + def.getName()
                        + "\" of type \"" + site.field().parent().getName() + "\".";
                List<String> names = def.getArguments().stream().map(GraphQLArgument::getName).toList();
                List<String> suggested = Suggestions.suggestionList(site.argument().getName(), names);
                if (!suggested.isEmpty()) {
                    message += " Did you mean " + Suggestions.quotedOrList(suggested) + "?";
                }
                return error(message, List.of(loc), null);
            }
            case UnknownType: {
                TypeName t = idx.typeName(loc);
                Matcher m = UNKNOWN_TYPE.matcher(text);
                String name = t != null ? t.getName() : m.find() ? m.group(1) : null;
                if (name == null) {
                    return null;
                }
                String message = "Unknown type \"" + name + "\".";
                List<String> typeNames = schema.getAllTypesAsList().stream().map(GraphQLNamedType::getName).toList();
                List<String> suggested = Suggestions.suggestionList(name, typeNames);
                if (!suggested.isEmpty()) {
                    message += " Perhaps you meant " + Suggestions.quotedOrList(suggested) + "?";
                }
                return error(message, List.of(loc), null);
            }
            case MissingFieldArgument: {
                DocumentIndex.FieldSite site = idx.field(loc);
                Matcher m = MISSING_ARG.matcher(text);
                if (site == null || site.definition() == null || !m.find()) {
                    return null;
                }
                GraphQLArgument arg = site.definition().getArgument(m.group(1));
                if (arg == null) {
                    return null;
                }
                return error("Field \"" + site.definition().getName() + "\" argument \"" + arg.getName() + "\" of type \""
                        + GraphQLTypeUtil.simplePrint(arg.getType()) + "\" is required but not provided.", List.of(loc), null);
            }
            case SubselectionRequired:
            case SubselectionNotAllowed: {
                DocumentIndex.FieldSite site = idx.field(loc);
                if (site == null || site.definition() == null) {
                    return null;
                }
                return error("Field \"" + site.definition().getName() + "\" of type \""
                        + GraphQLTypeUtil.simplePrint(site.definition().getType()) + "\" must "
                        + (type == ValidationErrorType.SubselectionRequired ? "" : "not ") + "have a sub selection.",
                        List.of(loc), null);
            }
            case VariableTypeMismatch: {
                Matcher m = MISMATCH.matcher(text);
                if (!m.find()) {
                    return null;
                }
                DocumentIndex.UsageSite usage = idx.usage(loc);
                VariableDefinition def = usage == null ? null : DocumentIndex.variableDefinition(usage.operation(), m.group(1));
                List<SourceLocation> locs = def == null ? List.of(loc) : List.of(def.getSourceLocation(), loc);
                return error("Variable \"$" + m.group(1) + "\" of type \"" + m.group(2)
                        + "\" used in position expecting type \"" + m.group(3) + "\".", locs, null);
            }
            case UndefinedVariable: {
                Matcher m = UNDEFINED_VAR.matcher(text);
                if (!m.find()) {
                    return null;
                }
                DocumentIndex.UsageSite usage = idx.usage(loc);
                OperationDefinition op = usage == null ? null : usage.operation();
                String message = "Variable \"$" + m.group(1) + "\" is not defined"
                        + (op != null && op.getName() != null ? " by operation \"" + op.getName() + "\"." : ".");
                List<SourceLocation> locs = op == null ? List.of(loc) : List.of(loc, op.getSourceLocation());
                return error(message, locs, null);
            }
            case UnusedVariable: {
                DocumentIndex.VariableSite site = idx.variable(loc);
                Matcher m = UNUSED_VAR.matcher(text);
                String name = site != null ? site.definition().getName() : m.find() ? m.group(1) : null;
                if (name == null) {
                    return null;
                }
                OperationDefinition op = site == null ? null : site.operation();
                return error("Variable \"$" + name + "\" is never used"
                        + (op != null && op.getName() != null ? " in operation \"" + op.getName() + "\"." : "."),
                        List.of(loc), null);
            }
            case WrongType: {
                DocumentIndex.ArgumentSite site = idx.argument(loc);
                if (site == null || site.definition() == null) {
                    return null;
                }
                Value<?> value = site.argument().getValue();
                List<String> problems = literalErrors(site.definition().getType(), value);
                if (problems.isEmpty()) {
                    problems = List.of("Expected type \"" + GraphQLTypeUtil.simplePrint(GraphQLTypeUtil.unwrapAll(
                            site.definition().getType())) + "\", found " + AstPrinter.printAst(value) + ".");
                }
                SourceLocation at = value.getSourceLocation() != null ? value.getSourceLocation() : loc;
                return error("Argument \"" + site.argument().getName() + "\" has invalid value " + AstPrinter.printAst(value)
                        + ".\n" + String.join("\n", problems), List.of(at), null);
            }
            default:
                return null;
        }
    }

    private String undefinedFieldMessage(String field, graphql.schema.GraphQLCompositeType parent) {
        String message = "Cannot query field \"" + field + "\" on type \"" + parent.getName() + "\".";
        List<String> types = suggestedTypeNames(parent, field);
        if (!types.isEmpty()) {
            return message + " Did you mean to use an inline fragment on " + Suggestions.quotedOrList(types) + "?";
        }
        if (parent instanceof GraphQLFieldsContainer c) {
            List<String> names = c.getFieldDefinitions().stream().map(GraphQLFieldDefinition::getName).toList();
            List<String> fields = Suggestions.suggestionList(field, names);
            if (!fields.isEmpty()) {
                return message + " Did you mean " + Suggestions.quotedOrList(fields) + "?";
            }
        }
        return message;
    }

    /** graphql-core 2's get_suggested_type_names: for an abstract parent, the types that have the field. */
    private List<String> suggestedTypeNames(graphql.schema.GraphQLCompositeType parent, String field) {
        List<GraphQLObjectType> possible;
        if (parent instanceof GraphQLInterfaceType i) {
            possible = schema.getImplementations(i);
        } else if (parent instanceof GraphQLUnionType u) {
            possible = u.getTypes().stream().filter(GraphQLObjectType.class::isInstance)
                    .map(GraphQLObjectType.class::cast).toList();
        } else {
            return List.of();
        }
        List<String> objects = new ArrayList<>();
        Map<String, Integer> interfaceUsage = new LinkedHashMap<>();
        for (GraphQLObjectType t : possible) {
            if (t.getFieldDefinition(field) == null) {
                continue;
            }
            objects.add(t.getName());
            for (graphql.schema.GraphQLNamedOutputType it : t.getInterfaces()) {
                if (it instanceof GraphQLInterfaceType iface && iface.getFieldDefinition(field) != null) {
                    interfaceUsage.merge(iface.getName(), 1, Integer::sum);
                }
            }
        }
        List<String> out = new ArrayList<>(interfaceUsage.keySet());
        out.sort((a, b) -> Integer.compare(interfaceUsage.get(b), interfaceUsage.get(a)));
        out.addAll(objects);
        return out;
    }

    // ---- syntax errors

    private ObjectNode syntax(List<SourceLocation> locations, String offendingToken, String fallback) {
        SourceLocation loc = locations == null || locations.isEmpty() ? null : locations.get(0);
        if (loc == null) {
            return error(fallback, null, null);
        }
        String description = offendingToken == null ? fallback : "Unexpected " + tokenDescription(offendingToken);
        String message = "Syntax Error GraphQL (" + loc.getLine() + ":" + loc.getColumn() + ") " + description + "\n\n"
                + highlight(query, loc);
        return error(message, List.of(loc), null);
    }

    /** graphql-core 2's token description: {@code EOF}, {@code Name "foo"}, {@code Int "1"}, or the punctuator. */
    private static String tokenDescription(String token) {
        if (token.equals("<EOF>")) {
            return "EOF";
        }
        if (token.matches("[_A-Za-z][_0-9A-Za-z]*")) {
            return "Name \"" + token + "\"";
        }
        if (token.matches("-?(0|[1-9][0-9]*)")) {
            return "Int \"" + token + "\"";
        }
        if (token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            return "Float \"" + token + "\"";
        }
        if (token.startsWith("\"")) {
            String content = token.startsWith("\"\"\"") && token.length() >= 6 ? token.substring(3, token.length() - 3)
                    : token.length() >= 2 ? token.substring(1, token.length() - 1) : token;
            return "String \"" + content + "\"";
        }
        return token;
    }

    /** graphql-core 2's highlight_source_at_location: the line before, the line with a caret, the line after. */
    static String highlight(String source, SourceLocation location) {
        int line = location.getLine();
        List<String> lines = new ArrayList<>(Arrays.asList(LINE_BREAK.split(source, -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1); // str.splitlines() drops the empty piece after a final line break
        }
        int pad = String.valueOf(line + 1).length();
        StringBuilder b = new StringBuilder();
        if (line >= 2 && line - 2 < lines.size()) {
            b.append(padLeft(String.valueOf(line - 1), pad)).append(": ").append(lines.get(line - 2)).append('\n');
        }
        if (line <= lines.size()) {
            b.append(padLeft(String.valueOf(line), pad)).append(": ").append(lines.get(line - 1)).append('\n');
        }
        b.append(" ".repeat(1 + pad + location.getColumn())).append("^\n");
        if (line < lines.size()) {
            b.append(padLeft(String.valueOf(line + 1), pad)).append(": ").append(lines.get(line)).append('\n');
        }
        return b.toString();
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    // ---- variable values

    /** graphql-core 2's messages for variable values that do not fit their declared type, or null. */
    private ObjectNode variableError(GraphQLError e) {
        List<SourceLocation> locs = e.getLocations();
        if (locs == null || locs.isEmpty()) {
            return null;
        }
        DocumentIndex idx = index();
        DocumentIndex.VariableSite site = idx == null ? null : idx.variable(locs.get(0));
        if (site == null) {
            return null;
        }
        VariableDefinition def = site.definition();
        GraphQLType type = schemaType(def.getType());
        if (!(type instanceof GraphQLInputType inputType)) {
            return null;
        }
        String name = def.getName();
        Object value = variables.get(name);
        if (value == null && type instanceof GraphQLNonNull) {
            return error("Variable \"$" + name + "\" of required type \"" + GraphQLTypeUtil.simplePrint(type)
                    + "\" was not provided.", List.of(def.getSourceLocation()), null);
        }
        List<String> problems = valueErrors(value, inputType);
        if (problems.isEmpty()) {
            problems = List.of("Expected type \"" + GraphQLTypeUtil.simplePrint(GraphQLTypeUtil.unwrapAll(type))
                    + "\", found " + pythonJson(value) + ".");
        }
        return error("Variable \"$" + name + "\" got invalid value " + pythonJson(value) + ".\n"
                + String.join("\n", problems), List.of(def.getSourceLocation()), null);
    }

    private GraphQLType schemaType(Type<?> ast) {
        if (ast instanceof NonNullType n) {
            GraphQLType inner = schemaType(n.getType());
            return inner == null ? null : GraphQLNonNull.nonNull(inner);
        }
        if (ast instanceof ListType l) {
            GraphQLType inner = schemaType(l.getType());
            return inner == null ? null : GraphQLList.list(inner);
        }
        if (ast instanceof TypeName t) {
            return schema.getType(t.getName());
        }
        return null;
    }

    /** graphql-core 2's is_valid_value. */
    private static List<String> valueErrors(Object value, GraphQLInputType type) {
        if (type instanceof GraphQLNonNull nn) {
            if (value == null) {
                return List.of("Expected \"" + GraphQLTypeUtil.simplePrint(type) + "\", found null.");
            }
            return valueErrors(value, (GraphQLInputType) nn.getWrappedType());
        }
        if (value == null) {
            return List.of();
        }
        if (type instanceof GraphQLList list) {
            GraphQLInputType item = (GraphQLInputType) list.getWrappedType();
            if (value instanceof List<?> values) {
                List<String> errors = new ArrayList<>();
                for (int i = 0; i < values.size(); i++) {
                    for (String error : valueErrors(values.get(i), item)) {
                        errors.add("In element #" + i + ": " + error);
                    }
                }
                return errors;
            }
            return valueErrors(value, item);
        }
        if (type instanceof GraphQLInputObjectType object) {
            if (!(value instanceof Map<?, ?> map)) {
                return List.of("Expected \"" + object.getName() + "\", found not an object.");
            }
            List<String> errors = new ArrayList<>();
            for (Object provided : new TreeSet<>(map.keySet().stream().map(String::valueOf).toList())) {
                if (object.getField((String) provided) == null) {
                    errors.add("In field \"" + provided + "\": Unknown field.");
                }
            }
            for (GraphQLInputObjectField f : object.getFieldDefinitions()) {
                for (String error : valueErrors(map.get(f.getName()), f.getType())) {
                    errors.add("In field \"" + f.getName() + "\": " + error);
                }
            }
            return errors;
        }
        boolean valid;
        try {
            if (type instanceof GraphQLScalarType scalar) {
                valid = scalar.getCoercing().parseValue(value, GraphQLContext.getDefault(), Locale.ENGLISH) != null;
            } else if (type instanceof GraphQLEnumType e) {
                valid = value instanceof String s && e.getValue(s) != null;
            } else {
                valid = true;
            }
        } catch (RuntimeException ex) {
            valid = false;
        }
        return valid ? List.of()
                : List.of("Expected type \"" + ((GraphQLNamedType) type).getName() + "\", found " + pythonJson(value) + ".");
    }

    /** graphql-core 2's is_valid_literal. */
    private static List<String> literalErrors(GraphQLInputType type, Value<?> value) {
        boolean absent = value == null || value instanceof NullValue;
        if (type instanceof GraphQLNonNull nn) {
            if (absent) {
                return List.of("Expected \"" + GraphQLTypeUtil.simplePrint(type) + "\", found null.");
            }
            return literalErrors((GraphQLInputType) nn.getWrappedType(), value);
        }
        if (absent || value instanceof VariableReference) {
            return List.of();
        }
        if (type instanceof GraphQLList list) {
            GraphQLInputType item = (GraphQLInputType) list.getWrappedType();
            if (value instanceof ArrayValue array) {
                List<String> errors = new ArrayList<>();
                List<Value> values = array.getValues();
                for (int i = 0; i < values.size(); i++) {
                    for (String error : literalErrors(item, values.get(i))) {
                        errors.add("In element #" + i + ": " + error);
                    }
                }
                return errors;
            }
            return literalErrors(item, value);
        }
        if (type instanceof GraphQLInputObjectType object) {
            if (!(value instanceof ObjectValue obj)) {
                return List.of("Expected \"" + object.getName() + "\", found not an object.");
            }
            List<String> errors = new ArrayList<>();
            Map<String, Value<?>> provided = new LinkedHashMap<>();
            for (ObjectField f : obj.getObjectFields()) {
                provided.put(f.getName(), f.getValue());
                if (object.getField(f.getName()) == null) {
                    errors.add("In field \"" + f.getName() + "\": Unknown field.");
                }
            }
            for (GraphQLInputObjectField f : object.getFieldDefinitions()) {
                for (String error : literalErrors(f.getType(), provided.get(f.getName()))) {
                    errors.add("In field \"" + f.getName() + "\": " + error);
                }
            }
            return errors;
        }
        boolean valid;
        try {
            if (type instanceof GraphQLScalarType scalar) {
                valid = scalar.getCoercing().parseLiteral(value, CoercedVariables.emptyVariables(),
                        GraphQLContext.getDefault(), Locale.ENGLISH) != null;
            } else if (type instanceof GraphQLEnumType e) {
                valid = value instanceof graphql.language.EnumValue ev && e.getValue(ev.getName()) != null;
            } else {
                valid = true;
            }
        } catch (RuntimeException ex) {
            valid = false;
        }
        return valid ? List.of()
                : List.of("Expected type \"" + ((GraphQLNamedType) type).getName() + "\", found " + AstPrinter.printAst(value) + ".");
    }

    /** Python's {@code json.dumps(value, sort_keys=True)}. */
    private static String pythonJson(Object value) {
        return Json.pythonDumps(sorted(value));
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new TreeMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ErrorTranslator::sorted).toList();
        }
        return value;
    }
}
