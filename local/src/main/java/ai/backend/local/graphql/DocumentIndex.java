package ai.backend.local.graphql;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.Node;
import graphql.language.NonNullType;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.SourceLocation;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import java.util.HashMap;
import java.util.Map;

/**
 * The nodes of a parsed document by source location, with the schema types around them, so that
 * graphql-java's validation errors (which carry a location) can be re-worded as graphql-core 2's.
 */
final class DocumentIndex {
    record FieldSite(Field field, GraphQLCompositeType parent, GraphQLFieldDefinition definition) {
    }

    record ArgumentSite(Argument argument, FieldSite field, GraphQLArgument definition) {
    }

    record VariableSite(VariableDefinition definition, OperationDefinition operation) {
    }

    record UsageSite(VariableReference reference, OperationDefinition operation) {
    }

    private final GraphQLSchema schema;
    private final Map<String, FieldSite> fields = new HashMap<>();
    private final Map<String, ArgumentSite> arguments = new HashMap<>();
    private final Map<String, VariableSite> variables = new HashMap<>();
    private final Map<String, UsageSite> usages = new HashMap<>();
    private final Map<String, TypeName> typeNames = new HashMap<>();

    DocumentIndex(GraphQLSchema schema, Document document) {
        this.schema = schema;
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof OperationDefinition op) {
                GraphQLType root;
                switch (op.getOperation()) {
                    case MUTATION:
                        root = schema.getMutationType();
                        break;
                    case SUBSCRIPTION:
                        root = schema.getSubscriptionType();
                        break;
                    default:
                        root = schema.getQueryType();
                }
                for (VariableDefinition v : op.getVariableDefinitions()) {
                    put(variables, v, new VariableSite(v, op));
                    typeNames(v.getType());
                }
                walk(op.getSelectionSet(), composite(root), op);
            } else if (d instanceof FragmentDefinition f) {
                put(typeNames, f.getTypeCondition(), f.getTypeCondition());
                walk(f.getSelectionSet(), composite(schema.getType(f.getTypeCondition().getName())), null);
            }
        }
    }

    static String key(SourceLocation l) {
        return l == null ? "" : l.getLine() + ":" + l.getColumn();
    }

    FieldSite field(SourceLocation l) {
        return fields.get(key(l));
    }

    ArgumentSite argument(SourceLocation l) {
        return arguments.get(key(l));
    }

    VariableSite variable(SourceLocation l) {
        return variables.get(key(l));
    }

    UsageSite usage(SourceLocation l) {
        return usages.get(key(l));
    }

    TypeName typeName(SourceLocation l) {
        return typeNames.get(key(l));
    }

    GraphQLSchema schema() {
        return schema;
    }

    /** The definition of variable {@code name} in {@code operation}, or null. */
    static VariableDefinition variableDefinition(OperationDefinition operation, String name) {
        if (operation == null) {
            return null;
        }
        for (VariableDefinition v : operation.getVariableDefinitions()) {
            if (v.getName().equals(name)) {
                return v;
            }
        }
        return null;
    }

    private static <T> void put(Map<String, T> map, Node<?> node, T value) {
        if (node != null && node.getSourceLocation() != null) {
            map.putIfAbsent(key(node.getSourceLocation()), value);
        }
    }

    private static GraphQLCompositeType composite(GraphQLType type) {
        return type instanceof GraphQLCompositeType c ? c : null;
    }

    private void typeNames(Type<?> type) {
        if (type instanceof NonNullType n) {
            typeNames(n.getType());
        } else if (type instanceof ListType l) {
            typeNames(l.getType());
        } else if (type instanceof TypeName t) {
            put(typeNames, t, t);
        }
    }

    private void walk(SelectionSet set, GraphQLCompositeType parent, OperationDefinition op) {
        if (set == null) {
            return;
        }
        for (Selection<?> s : set.getSelections()) {
            if (s instanceof Field f) {
                GraphQLFieldDefinition def = parent instanceof GraphQLFieldsContainer c ? c.getFieldDefinition(f.getName()) : null;
                FieldSite site = new FieldSite(f, parent, def);
                put(fields, f, site);
                for (Argument a : f.getArguments()) {
                    put(arguments, a, new ArgumentSite(a, site, def == null ? null : def.getArgument(a.getName())));
                    values(a.getValue(), op);
                }
                directives(f.getDirectives(), op);
                walk(f.getSelectionSet(), def == null ? null : composite(GraphQLTypeUtil.unwrapAll(def.getType())), op);
            } else if (s instanceof InlineFragment i) {
                GraphQLCompositeType type = parent;
                if (i.getTypeCondition() != null) {
                    put(typeNames, i.getTypeCondition(), i.getTypeCondition());
                    type = composite(schema.getType(i.getTypeCondition().getName()));
                }
                directives(i.getDirectives(), op);
                walk(i.getSelectionSet(), type, op);
            }
            // fragment spreads: their definitions are indexed on their own
        }
    }

    private void directives(java.util.List<Directive> directives, OperationDefinition op) {
        for (Directive d : directives) {
            for (Argument a : d.getArguments()) {
                values(a.getValue(), op);
            }
        }
    }

    private void values(Value<?> value, OperationDefinition op) {
        if (value instanceof VariableReference r) {
            put(usages, r, new UsageSite(r, op));
        } else if (value instanceof ArrayValue a) {
            for (Value<?> v : a.getValues()) {
                values(v, op);
            }
        } else if (value instanceof ObjectValue o) {
            o.getObjectFields().forEach(f -> values(f.getValue(), op));
        }
    }
}
