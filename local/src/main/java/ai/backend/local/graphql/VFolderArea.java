package ai.backend.local.graphql;

import ai.backend.local.store.Database;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Virtual folders (protocol §7.1), from the vfolders table: {@code vfolders} lists owned folders, newest
 * first: for a user the requester's own; for an admin those of {@code access_key}, or every folder when it
 * is omitted. {@code KeyPair.vfolders} lists the folders that keypair owns. Shared folders are not listed,
 * as in 19.03. {@code max_files} and {@code max_size} are 19.03's column defaults (1000 files, 1024 KiB),
 * which neither the manager nor this server enforces (the policy's {@code max_vfolder_size} is what counts);
 * {@code num_files} and {@code cur_size} are always 0, as in 19.03.
 */
public final class VFolderArea implements SchemaArea {
    static final String COLUMNS = "SELECT id, host, name, created_at, last_used FROM vfolders";
    static final String ORDER = " ORDER BY created_at DESC, name";
    static final int MAX_FILES = 1000;
    static final int MAX_SIZE_KIB = 1024;

    private final Database db;

    public VFolderArea(Database db) {
        this.db = db;
    }

    @Override
    public List<String> sdl(SchemaRole role) {
        return List.of("vfolders.graphqls", role.rootFieldsResource("vfolders"));
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring, SchemaRole role) {
        wiring.type(TypeRuntimeWiring.newTypeWiring("KeyPair").dataFetcher("vfolders", env -> {
            Map<String, Object> source = env.getSource();
            return ownedBy((String) source.get("access_key"));
        }));
        TypeRuntimeWiring.Builder query = TypeRuntimeWiring.newTypeWiring(role.queryType());
        if (role == SchemaRole.ADMIN) {
            query.dataFetcher("vfolders", env -> {
                String ak = env.getArgument("access_key");
                return ak == null ? folders(Sql.query(db, COLUMNS + ORDER)) : ownedBy(ak);
            });
        } else {
            query.dataFetcher("vfolders", env -> ownedBy(RequestContext.of(env).accessKey()));
        }
        wiring.type(query);
    }

    private List<Map<String, Object>> ownedBy(String accessKey) {
        return folders(Sql.query(db, COLUMNS + " WHERE belongs_to = ?" + ORDER, accessKey));
    }

    private static List<Map<String, Object>> folders(List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", row.get("id"));
            f.put("host", row.get("host"));
            f.put("name", row.get("name"));
            f.put("max_files", MAX_FILES);
            f.put("max_size", MAX_SIZE_KIB);
            f.put("created_at", Sql.timestamp(row.get("created_at")));
            f.put("last_used", Sql.timestamp(row.get("last_used")));
            f.put("num_files", 0);
            f.put("cur_size", 0);
            out.add(f);
        }
        return out;
    }
}
