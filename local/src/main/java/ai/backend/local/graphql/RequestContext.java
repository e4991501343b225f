package ai.backend.local.graphql;

import ai.backend.local.store.Keypair;
import graphql.schema.DataFetchingEnvironment;

/** What resolvers know about the request: the authenticated keypair. Stored in the GraphQLContext. */
public record RequestContext(Keypair keypair) {
    static final String KEY = RequestContext.class.getName();

    /** The requester's context of a data fetcher call. */
    public static RequestContext of(DataFetchingEnvironment env) {
        RequestContext ctx = env.getGraphQlContext().get(KEY);
        if (ctx == null) {
            throw new IllegalStateException("no request context");
        }
        return ctx;
    }

    public String accessKey() {
        return keypair.accessKey();
    }
}
