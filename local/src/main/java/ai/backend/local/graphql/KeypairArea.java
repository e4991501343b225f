package ai.backend.local.graphql;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.Agent;
import ai.backend.local.store.Database;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keypairs and keypair resource policies (protocol §7.2), read from the database on every request.
 *
 * <ul>
 *   <li>{@code keypair(access_key)}: admins any key (default their own); users their own (no argument).</li>
 *   <li>{@code keypairs(user_id, is_active)}: admins every key, filtered; users the keys of their own
 *       user id (the argument is required but not trusted).</li>
 *   <li>{@code keypair_resource_policy(name)}: default the requester's policy; users only see policies used by
 *       keys of their user id (else null).</li>
 *   <li>{@code keypair_resource_policies}: admins all; users those used by keys of their user id.</li>
 * </ul>
 * {@code KeyPair.compute_sessions(status)} lists the key's sessions as {@code compute_sessions} does for an
 * admin with an access key (every status unless one is given, newest first, at most 100). {@code KeyPair.vfolders}
 * is not served yet. {@code idle_timeout} is stored but not enforced.
 */
public final class KeypairArea implements SchemaArea {
    static final String KEYPAIR_COLUMNS = "SELECT access_key, secret_key, user_id, is_active, is_admin, resource_policy,"
            + " rate_limit, num_queries, created_at, last_used FROM keypairs";
    static final String POLICY_COLUMNS = "SELECT name, created_at, default_for_unspecified, total_resource_slots,"
            + " max_concurrent_sessions, max_containers_per_session, max_vfolder_count, max_vfolder_size,"
            + " idle_timeout, allowed_vfolder_hosts FROM keypair_resource_policies";

    private final Database db;
    private final Agent agent;
    private final SessionArea sessions;

    public KeypairArea(Database db, Agent agent) {
        this.db = db;
        this.agent = agent;
        this.sessions = new SessionArea(db, agent);
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return role == SchemaRole.ADMIN
                ? List.of("sessions.graphqls", "keypairs.graphqls", role.rootFieldsResource("keypairs"),
                        "keypairs-mutations.graphqls")
                : List.of("sessions.graphqls", "keypairs.graphqls", role.rootFieldsResource("keypairs"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring("KeyPair").dataFetcher("compute_sessions", env -> {
            Map<String, Object> source = env.getSource();
            return sessions.sessionsOf((String) source.get("access_key"), env.getArgument("status"));
        }));
        TypeRuntimeWiring.Builder query = TypeRuntimeWiring.newTypeWiring(role.queryType());
        if (role == SchemaRole.ADMIN) {
            query.dataFetcher("keypair", env -> {
                String ak = env.getArgument("access_key");
                return keypair(ak != null ? ak : RequestContext.of(env).accessKey());
            });
            query.dataFetcher("keypairs", env -> keypairs(env.getArgument("user_id"), env.getArgument("is_active")));
            query.dataFetcher("keypair_resource_policy", env -> {
                String name = env.getArgument("name");
                return policy(name != null ? name : ownPolicy(env));
            });
            query.dataFetcher("keypair_resource_policies", env -> policies(null));
            wiring.type(new KeypairMutations(db, this).wiring());
        } else {
            query.dataFetcher("keypair", env -> keypair(RequestContext.of(env).accessKey()));
            query.dataFetcher("keypairs", env -> keypairs(userId(env), env.getArgument("is_active")));
            query.dataFetcher("keypair_resource_policy", env -> {
                String name = env.getArgument("name");
                if (name == null) {
                    return policy(ownPolicy(env));
                }
                return policies(userId(env)).stream().filter(p -> name.equals(p.get("name"))).findFirst().orElse(null);
            });
            query.dataFetcher("keypair_resource_policies", env -> policies(userId(env)));
        }
        wiring.type(query);
    }

    private static String userId(DataFetchingEnvironment env) {
        return RequestContext.of(env).keypair().userId();
    }

    private String ownPolicy(DataFetchingEnvironment env) {
        Map<String, Object> own = keypair(RequestContext.of(env).accessKey());
        return own == null ? RequestContext.of(env).keypair().resourcePolicy() : (String) own.get("resource_policy");
    }

    // ---- keypairs

    Map<String, Object> keypair(String accessKey) {
        List<Map<String, Object>> rows = Sql.query(db, KEYPAIR_COLUMNS + " WHERE access_key = ?", accessKey);
        return rows.isEmpty() ? null : keypairObject(rows.get(0));
    }

    private List<Map<String, Object>> keypairs(String userId, Boolean isActive) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : Sql.query(db, KEYPAIR_COLUMNS
                + " WHERE (? IS NULL OR user_id = ?) AND (? IS NULL OR is_active = ?) ORDER BY created_at",
                userId, userId, isActive, isActive)) {
            out.add(keypairObject(row));
        }
        return out;
    }

    /** A keypair row as the fields of {@code KeyPair}. */
    Map<String, Object> keypairObject(Map<String, Object> row) {
        Map<String, Object> k = new LinkedHashMap<>();
        String ak = (String) row.get("access_key");
        k.put("user_id", row.get("user_id"));
        k.put("access_key", ak);
        k.put("secret_key", row.get("secret_key"));
        k.put("is_active", ((Number) row.get("is_active")).intValue() != 0);
        k.put("is_admin", ((Number) row.get("is_admin")).intValue() != 0);
        k.put("resource_policy", row.get("resource_policy"));
        k.put("created_at", Sql.timestamp(row.get("created_at")));
        k.put("last_used", Sql.timestamp(row.get("last_used")));
        k.put("concurrency_used", agent == null ? 0 : agent.count(ak));
        k.put("rate_limit", ((Number) row.get("rate_limit")).intValue());
        k.put("num_queries", ((Number) row.get("num_queries")).intValue());
        k.put("concurrency_limit", 0);
        return k;
    }

    // ---- resource policies

    Map<String, Object> policy(String name) {
        List<Map<String, Object>> rows = Sql.query(db, POLICY_COLUMNS + " WHERE name = ?", name);
        return rows.isEmpty() ? null : policyObject(rows.get(0));
    }

    /** Every policy (userId null), or those used by the keys of {@code userId}. */
    private List<Map<String, Object>> policies(String userId) {
        Set<String> used = null;
        if (userId != null) {
            used = new LinkedHashSet<>();
            for (Map<String, Object> row : Sql.query(db, "SELECT resource_policy FROM keypairs WHERE user_id = ?", userId)) {
                used.add((String) row.get("resource_policy"));
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : Sql.query(db, POLICY_COLUMNS + " ORDER BY created_at, name")) {
            if (used == null || used.contains(row.get("name"))) {
                out.add(policyObject(row));
            }
        }
        return out;
    }

    private static Map<String, Object> policyObject(Map<String, Object> row) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", row.get("name"));
        p.put("created_at", Sql.timestamp(row.get("created_at")));
        p.put("default_for_unspecified", row.get("default_for_unspecified"));
        p.put("total_resource_slots", parseJson((String) row.get("total_resource_slots"), Map.of()));
        p.put("max_concurrent_sessions", ((Number) row.get("max_concurrent_sessions")).intValue());
        p.put("max_containers_per_session", ((Number) row.get("max_containers_per_session")).intValue());
        p.put("idle_timeout", ((Number) row.get("idle_timeout")).longValue());
        p.put("max_vfolder_count", ((Number) row.get("max_vfolder_count")).intValue());
        p.put("max_vfolder_size", ((Number) row.get("max_vfolder_size")).longValue());
        p.put("allowed_vfolder_hosts", hosts((String) row.get("allowed_vfolder_hosts")));
        return p;
    }

    private static List<String> hosts(String text) {
        Object v = parseJson(text, null);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(h -> out.add(String.valueOf(h)));
        } else if (text != null && !text.isBlank()) {
            for (String h : text.split(",")) {
                if (!h.isBlank()) {
                    out.add(h.trim());
                }
            }
        }
        return out;
    }

    static Object parseJson(String text, Object fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Json.MAPPER.readValue(text, Object.class);
        } catch (IOException e) {
            return fallback;
        }
    }
}
