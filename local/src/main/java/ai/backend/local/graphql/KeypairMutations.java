package ai.backend.local.graphql;

import ai.backend.client.internal.Json;
import ai.backend.local.agent.ResourceSlots;
import ai.backend.local.store.Database;
import ai.backend.local.store.Keypair;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.TypeRuntimeWiring;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The admin mutations on keypairs and keypair resource policies (protocol §7.2). They answer
 * {@code {ok, msg}} as the 19.03 manager does: {@code msg} is {@code success}, or {@code ok} is false with
 * {@code no such ...}, {@code integrity error: ...} or {@code unexpected error: ...}. Changes are written to
 * the database at once; the kernel API reads keypairs and policies from there on every request.
 *
 * <p>Refused on purpose (ok false, nothing changed): deleting the keypair that makes the request, and deleting
 * a policy that a keypair still uses. Invalid resource slot values are a resolver error, as the manager's
 * {@code ('Cannot convert to decimal', 'count')}; an unknown {@code default_for_unspecified} is its KeyError.
 * {@code idle_timeout} is stored and reported; the local server does not enforce it.
 */
final class KeypairMutations {
    static final String SUCCESS = "success";
    static final String NO_SUCH_KEYPAIR = "no such keypair";
    static final String NO_SUCH_POLICY = "no such keypair resource policy";
    static final String OWN_KEYPAIR = "cannot delete the keypair making this request";
    static final Set<String> DEFAULTS = Set.of("LIMITED", "UNLIMITED");

    private final Database db;
    private final KeypairArea area;

    KeypairMutations(Database db, KeypairArea area) {
        this.db = db;
        this.area = area;
    }

    TypeRuntimeWiring.Builder wiring() {
        return TypeRuntimeWiring.newTypeWiring("MutationForAdmin")
                .dataFetcher("create_keypair", this::createKeypair)
                .dataFetcher("modify_keypair", this::modifyKeypair)
                .dataFetcher("delete_keypair", this::deleteKeypair)
                .dataFetcher("create_keypair_resource_policy", this::createPolicy)
                .dataFetcher("modify_keypair_resource_policy", this::modifyPolicy)
                .dataFetcher("delete_keypair_resource_policy", this::deletePolicy);
    }

    private boolean policyExists(String name) {
        return !Sql.query(db, "SELECT name FROM keypair_resource_policies WHERE name = ?", name).isEmpty();
    }

    // ---- keypairs

    private Map<String, Object> createKeypair(DataFetchingEnvironment env) {
        String userId = env.getArgument("user_id");
        Map<String, Object> props = env.getArgument("props");
        Keypair generated = Keypair.generate(userId, false);
        String ak = props.get("access_key") != null ? (String) props.get("access_key") : generated.accessKey();
        String sk = props.get("secret_key") != null ? (String) props.get("secret_key") : generated.secretKey();
        String policy = (String) props.get("resource_policy");
        Map<String, Object> r;
        if (!policyExists(policy)) {
            r = MutationResults.result(false, "integrity error: no such keypair resource policy: " + policy);
        } else {
            try {
                Sql.update(db, "INSERT INTO keypairs (access_key, secret_key, user_id, is_active, is_admin,"
                        + " resource_policy, rate_limit, created_at) VALUES (?,?,?,?,?,?,?,?)", ak, sk, userId,
                        Boolean.TRUE.equals(props.get("is_active")), Boolean.TRUE.equals(props.get("is_admin")), policy,
                        props.get("rate_limit"), Scalars.isoformat(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)));
                r = MutationResults.result(true, SUCCESS);
                r.put("keypair", area.keypair(ak));
                return r;
            } catch (SQLException e) {
                r = MutationResults.failure(e);
            }
        }
        r.put("keypair", null);
        return r;
    }

    private Map<String, Object> modifyKeypair(DataFetchingEnvironment env) {
        String ak = env.getArgument("access_key");
        Map<String, Object> props = env.getArgument("props");
        if (area.keypair(ak) == null) {
            return MutationResults.result(false, NO_SUCH_KEYPAIR);
        }
        String policy = (String) props.get("resource_policy");
        if (policy != null && !policyExists(policy)) {
            return MutationResults.result(false, "integrity error: no such keypair resource policy: " + policy);
        }
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (String column : new String[] {"secret_key", "is_active", "is_admin", "resource_policy", "rate_limit"}) {
            if (props.get(column) != null) {
                sets.add(column + " = ?");
                params.add(props.get(column));
            }
        }
        if (!sets.isEmpty()) {
            params.add(ak);
            try {
                Sql.update(db, "UPDATE keypairs SET " + String.join(", ", sets) + " WHERE access_key = ?", params.toArray());
            } catch (SQLException e) {
                return MutationResults.failure(e);
            }
        }
        return MutationResults.result(true, SUCCESS);
    }

    private Map<String, Object> deleteKeypair(DataFetchingEnvironment env) {
        String ak = env.getArgument("access_key");
        if (ak.equals(RequestContext.of(env).accessKey())) {
            return MutationResults.result(false, OWN_KEYPAIR);
        }
        try {
            return Sql.update(db, "DELETE FROM keypairs WHERE access_key = ?", ak) == 0
                    ? MutationResults.result(false, NO_SUCH_KEYPAIR) : MutationResults.result(true, SUCCESS);
        } catch (SQLException e) {
            return MutationResults.failure(e);
        }
    }

    // ---- resource policies

    private Map<String, Object> createPolicy(DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        String defaults = defaultForUnspecified(props.get("default_for_unspecified"));
        String slots = totalResourceSlots(props.get("total_resource_slots"));
        Map<String, Object> r;
        try {
            Sql.update(db, "INSERT INTO keypair_resource_policies (name, created_at, default_for_unspecified,"
                    + " total_resource_slots, max_concurrent_sessions, max_containers_per_session, max_vfolder_count,"
                    + " max_vfolder_size, idle_timeout, allowed_vfolder_hosts) VALUES (?,?,?,?,?,?,?,?,?,?)", name,
                    Scalars.isoformat(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)), defaults, slots,
                    props.get("max_concurrent_sessions"), props.get("max_containers_per_session"),
                    props.get("max_vfolder_count"), props.get("max_vfolder_size"), props.get("idle_timeout"), hosts(props.get("allowed_vfolder_hosts")));
            r = MutationResults.result(true, SUCCESS);
            r.put("resource_policy", area.policy(name));
        } catch (SQLException e) {
            r = MutationResults.failure(e);
            r.put("resource_policy", null);
        }
        return r;
    }

    private Map<String, Object> modifyPolicy(DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        List<String> sets = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (props.get("default_for_unspecified") != null) {
            sets.add("default_for_unspecified = ?");
            params.add(defaultForUnspecified(props.get("default_for_unspecified")));
        }
        if (props.get("total_resource_slots") != null) {
            sets.add("total_resource_slots = ?");
            params.add(totalResourceSlots(props.get("total_resource_slots")));
        }
        for (String column : new String[] {"max_concurrent_sessions", "max_containers_per_session", "max_vfolder_count",
                "max_vfolder_size", "idle_timeout"}) {
            if (props.get(column) != null) {
                sets.add(column + " = ?");
                params.add(props.get(column));
            }
        }
        if (props.get("allowed_vfolder_hosts") != null) {
            sets.add("allowed_vfolder_hosts = ?");
            params.add(hosts(props.get("allowed_vfolder_hosts")));
        }
        if (!policyExists(name)) {
            return MutationResults.result(false, NO_SUCH_POLICY);
        }
        if (!sets.isEmpty()) {
            params.add(name);
            try {
                Sql.update(db, "UPDATE keypair_resource_policies SET " + String.join(", ", sets) + " WHERE name = ?",
                        params.toArray());
            } catch (SQLException e) {
                return MutationResults.failure(e);
            }
        }
        return MutationResults.result(true, SUCCESS);
    }

    private Map<String, Object> deletePolicy(DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        int users = Sql.query(db, "SELECT access_key FROM keypairs WHERE resource_policy = ?", name).size();
        if (users > 0) {
            return MutationResults.result(false, "integrity error: the keypair resource policy " + PythonRepr.str(name) + " is used by "
                    + users + " keypair(s)");
        }
        try {
            return Sql.update(db, "DELETE FROM keypair_resource_policies WHERE name = ?", name) == 0
                    ? MutationResults.result(false, NO_SUCH_POLICY) : MutationResults.result(true, SUCCESS);
        } catch (SQLException e) {
            return MutationResults.failure(e);
        }
    }

    /** The manager's {@code DefaultForUnspecified[name]}: an unknown name is a KeyError. */
    private static String defaultForUnspecified(Object value) {
        String s = String.valueOf(value);
        if (!DEFAULTS.contains(s)) {
            throw ResolverError.keyError(s);
        }
        return s;
    }

    /**
     * The manager's {@code ResourceSlot.from_user_input}: an object of decimal amounts ({@code mem} may carry a
     * binary unit), stored as decimal strings; a value that is no decimal is
     * {@code ('Cannot convert to decimal', 'count')}.
     */
    static String totalResourceSlots(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            String type = value instanceof List ? "list" : value instanceof String ? "str"
                    : value instanceof Boolean ? "bool" : value instanceof Number n && !(n instanceof BigDecimal)
                    && !(n instanceof Double) ? "int" : value == null ? "NoneType" : "float";
            throw new ResolverError("'" + type + "' object has no attribute 'items'");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String slot = String.valueOf(e.getKey());
            Object v = e.getValue();
            String text = v == null ? "None" : String.valueOf(v);
            BigDecimal amount;
            try {
                amount = slot.equals("mem") ? ResourceSlots.parse("mem", text) : decimal(text);
            } catch (IllegalArgumentException ex) {
                throw new ResolverError("('Cannot convert to decimal', " + PythonRepr.str(text) + ")");
            }
            out.put(slot, ResourceSlots.isInfinite(amount) ? "Infinity" : amount.stripTrailingZeros().toPlainString());
        }
        return Json.pythonDumps(out);
    }

    private static BigDecimal decimal(String text) {
        String t = text.trim();
        if (t.toLowerCase(java.util.Locale.ROOT).matches("[+]?inf(inity)?")) {
            return ResourceSlots.parse("cpu", "inf");
        }
        return new BigDecimal(t); // NumberFormatException is an IllegalArgumentException
    }

    private static String hosts(Object value) {
        List<String> hosts = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object h : list) {
                if (h != null) {
                    hosts.add(h.toString());
                }
            }
        }
        return Json.pythonDumps(hosts);
    }
}
