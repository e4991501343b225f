package ai.backend.local.graphql;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.api.ApiContext;
import ai.backend.local.api.Problem;
import ai.backend.local.store.Database;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.schema.GraphQLSchema;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code POST /admin/graphql} (protocol §3.5, §7): runs a GraphQL document against the admin schema for
 * {@code is_admin} keypairs and the user schema for the others, answering as the 19.03 manager does:
 * the {@code data} object itself on success, a 400 {@code graphql-error} problem whose {@code data} is the
 * list of error objects on any error (partial data is discarded).
 *
 * <p>The schemas are assembled from {@link SchemaArea}s; add an area (SDL files plus data fetchers) to
 * {@link #areas} to grow them.
 */
public final class GraphQLApi {
    private static final System.Logger LOG = System.getLogger(GraphQLApi.class.getName());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final GraphQLSchema adminSchema;
    private final GraphQLSchema userSchema;
    private final GraphQL admin;
    private final GraphQL user;

    public GraphQLApi(Database db, Agent agent) {
        this(areas(db, agent));
    }

    GraphQLApi(List<SchemaArea> areas) {
        this.adminSchema = SchemaFactory.build(SchemaRole.ADMIN, areas);
        this.userSchema = SchemaFactory.build(SchemaRole.USER, areas);
        this.admin = GraphQL.newGraphQL(adminSchema).defaultDataFetcherExceptionHandler(EXCEPTIONS).build();
        this.user = GraphQL.newGraphQL(userSchema).defaultDataFetcherExceptionHandler(EXCEPTIONS).build();
    }

    /**
     * The areas served today: compute sessions, keypairs and resource policies (with the admin mutations),
     * the agent, images (with their mutations), virtual folders and resource presets.
     */
    static List<SchemaArea> areas(Database db, Agent agent) {
        return List.of(new SessionArea(db, agent), new KeypairArea(db, agent), new AgentArea(db, agent, Instant.now()),
                new ImageArea(db, agent), new VFolderArea(db), new PresetArea(db));
    }

    public GraphQLSchema schema(boolean isAdmin) {
        return isAdmin ? adminSchema : userSchema;
    }

    /** {@code POST /admin/graphql}. */
    public void handle(ApiContext api) {
        JsonNode body;
        try {
            byte[] bytes = api.ctx().bodyAsBytes();
            body = bytes.length == 0 ? null : Json.parse(bytes);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || body.isMissingNode()) {
            throw Problem.invalidApiParams("Malformed request body.");
        }
        if (!body.isObject() || !body.has("query")) {
            throw Problem.invalidApiParams("The request must have \"query\" JSON field.");
        }
        if (!body.get("query").isTextual()) {
            throw Problem.invalidApiParams("The \"query\" field must be a JSON string.");
        }
        JsonNode vars = body.get("variables");
        if (vars != null && !vars.isNull() && !vars.isObject()) {
            throw Problem.invalidApiParams("The \"variables\" field must be an JSON object or null.");
        }
        String query = body.get("query").asText();
        Map<String, Object> variables = vars == null || vars.isNull() ? Map.of() : Json.MAPPER.convertValue(vars, MAP);

        Outcome outcome = execute(api.keypair(), query, variables);
        if (outcome.errors() != null) {
            throw Problem.withData(400, "graphql-error", "GraphQL-generated error.", outcome.errors());
        }
        api.json(200, outcome.data());
    }

    /** What a document gave: the {@code data} object on success, else the 19.03 error objects. */
    record Outcome(Map<String, Object> data, JsonNode errors) {
    }

    /** Runs {@code query} for {@code keypair} in the schema its {@code is_admin} selects. */
    Outcome execute(Keypair keypair, String query, Map<String, Object> variables) {
        boolean isAdmin = keypair.admin();
        ExecutionInput input = ExecutionInput.newExecutionInput(query)
                .variables(variables)
                .graphQLContext(Map.of(RequestContext.KEY, new RequestContext(keypair)))
                .locale(Locale.ENGLISH)
                .build();
        ExecutionResult result = (isAdmin ? admin : user).execute(input);
        if (!result.getErrors().isEmpty()) {
            return new Outcome(null, new ErrorTranslator(schema(isAdmin), query, variables).translate(result.getErrors()));
        }
        return new Outcome(result.getData(), null);
    }

    /** Resolver exceptions become error objects with the exception's message, the field's location and path. */
    private static final DataFetcherExceptionHandler EXCEPTIONS = params -> {
        Throwable e = params.getException();
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        String message;
        if (e instanceof ResolverError) {
            message = e.getMessage();
        } else {
            LOG.log(System.Logger.Level.WARNING, "GraphQL resolver failed at " + params.getPath(), e);
            message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(
                GraphqlErrorBuilder.newError().message("%s", message).location(params.getSourceLocation())
                        .path(params.getPath()).build()).build());
    };
}
