package ai.backend.local.graphql;

import ai.backend.local.store.Database;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resource presets (protocol §7.1), from the resource_presets table that {@code GET /resource/presets} also
 * serves: {@code resource_preset(name)} (null for an unknown name) and {@code resource_presets} in both
 * schemas; for admins {@code create/modify/delete_resource_preset}. The slots are normalized as the policy
 * mutations normalize theirs (units, {@code Infinity}); a bad value is the manager's resolver error.
 *
 * <p>Unlike 19.03.5, whose {@code create_resource_preset} always fails (a wrong payload keyword),
 * creation works; a duplicate name is {@code ok: false} with an integrity error.
 */
public final class PresetArea implements SchemaArea {
    static final String COLUMNS = "SELECT name, resource_slots FROM resource_presets";
    static final String NO_SUCH_PRESET = "no such resource preset";

    private final Database db;

    public PresetArea(Database db) {
        this.db = db;
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return role == SchemaRole.ADMIN
                ? List.of("presets.graphqls", role.rootFieldsResource("presets"), "keypairs-mutations.graphqls",
                        "presets-mutations.graphqls")
                : List.of("presets.graphqls", role.rootFieldsResource("presets"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring(role.queryType())
                .dataFetcher("resource_presets", env -> presets(Sql.query(db, COLUMNS + " ORDER BY name")))
                .dataFetcher("resource_preset", env -> preset(env.getArgument("name"))));
        if (role == SchemaRole.ADMIN) {
            wiring.type(TypeRuntimeWiring.newTypeWiring("MutationForAdmin")
                    .dataFetcher("create_resource_preset", this::create)
                    .dataFetcher("modify_resource_preset", this::modify)
                    .dataFetcher("delete_resource_preset", this::delete));
        }
    }

    private Map<String, Object> preset(String name) {
        List<Map<String, Object>> rows = Sql.query(db, COLUMNS + " WHERE name = ?", name);
        return rows.isEmpty() ? null : presets(rows).get(0);
    }

    private static List<Map<String, Object>> presets(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", row.get("name"));
            p.put("resource_slots", KeypairArea.parseJson((String) row.get("resource_slots"), Map.of()));
            out.add(p);
        }
        return out;
    }

    private Map<String, Object> create(DataFetchingEnvironment env) {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        String slots = KeypairMutations.totalResourceSlots(props.get("resource_slots"));
        Map<String, Object> r;
        try {
            Sql.update(db, "INSERT INTO resource_presets (name, resource_slots) VALUES (?, ?)", name, slots);
            r = MutationResults.result(true, KeypairMutations.SUCCESS);
            r.put("resource_preset", preset(name));
        } catch (SQLException e) {
            r = MutationResults.failure(e);
            r.put("resource_preset", null);
        }
        return r;
    }

    private Map<String, Object> modify(DataFetchingEnvironment env) throws SQLException {
        String name = env.getArgument("name");
        Map<String, Object> props = env.getArgument("props");
        Object value = props.get("resource_slots");
        String slots = value == null ? null : KeypairMutations.totalResourceSlots(value);
        if (preset(name) == null) {
            return MutationResults.result(false, NO_SUCH_PRESET);
        }
        if (slots != null) {
            Sql.update(db, "UPDATE resource_presets SET resource_slots = ? WHERE name = ?", slots, name);
        }
        return MutationResults.result(true, KeypairMutations.SUCCESS);
    }

    private Map<String, Object> delete(DataFetchingEnvironment env) throws SQLException {
        int n = Sql.update(db, "DELETE FROM resource_presets WHERE name = ?", (String) env.getArgument("name"));
        return n == 0 ? MutationResults.result(false, NO_SUCH_PRESET)
                : MutationResults.result(true, KeypairMutations.SUCCESS);
    }
}
