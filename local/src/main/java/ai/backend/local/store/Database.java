package ai.backend.local.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local server's state in one SQLite file: keypairs, resource policies and sessions. The schema grows
 * by appending to {@link #MIGRATIONS}; each entry runs once, in order. All methods are synchronized on
 * the single connection. {@link #close()} closes it.
 */
public final class Database implements AutoCloseable {
    private static final String[] MIGRATIONS = {
        "CREATE TABLE keypair_resource_policies ("
            + " name TEXT PRIMARY KEY, created_at TEXT NOT NULL, default_for_unspecified TEXT NOT NULL,"
            + " total_resource_slots TEXT NOT NULL, max_concurrent_sessions INTEGER NOT NULL,"
            + " max_containers_per_session INTEGER NOT NULL, max_vfolder_count INTEGER NOT NULL,"
            + " max_vfolder_size INTEGER NOT NULL, allowed_vfolder_hosts TEXT NOT NULL);"
            + "INSERT INTO keypair_resource_policies VALUES ('default', datetime('now'), 'UNLIMITED', '{}', 30, 1, 10, 0, '[\"local\"]');"
            + "CREATE TABLE keypairs ("
            + " access_key TEXT PRIMARY KEY, secret_key TEXT NOT NULL, user_id TEXT NOT NULL,"
            + " is_active INTEGER NOT NULL, is_admin INTEGER NOT NULL, resource_policy TEXT NOT NULL,"
            + " rate_limit INTEGER NOT NULL, num_queries INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
            + " last_used TEXT);"
            + "CREATE TABLE kernels ("
            + " id TEXT PRIMARY KEY, sess_id TEXT NOT NULL, access_key TEXT NOT NULL, image TEXT NOT NULL,"
            + " tag TEXT, status TEXT NOT NULL, status_info TEXT, created_at TEXT NOT NULL, terminated_at TEXT,"
            + " environ TEXT, occupied_slots TEXT, num_queries INTEGER NOT NULL DEFAULT 0,"
            + " cpu_used INTEGER NOT NULL DEFAULT 0, mem_max_bytes INTEGER NOT NULL DEFAULT 0,"
            + " io_read_bytes INTEGER NOT NULL DEFAULT 0, io_write_bytes INTEGER NOT NULL DEFAULT 0);"
            + "CREATE INDEX kernels_by_owner ON kernels (access_key, sess_id, status);",
        // 2: images and their resource limits; a null maximum means the machine's capacity
        "CREATE TABLE images (name TEXT PRIMARY KEY, runtime TEXT NOT NULL, min_cpu TEXT NOT NULL, min_mem TEXT NOT NULL,"
            + " max_cpu TEXT, max_mem TEXT, created_at TEXT NOT NULL);"
            + "INSERT INTO images VALUES ('python', 'python', '0.01', '256m', NULL, NULL, datetime('now'));"
            + "INSERT INTO images VALUES ('bash', 'shell:/bin/bash', '0.01', '64m', NULL, NULL, datetime('now'));"
            + "INSERT INTO images VALUES ('sh', 'shell:/bin/sh', '0.01', '64m', NULL, NULL, datetime('now'));",
        // 3: virtual folders (ids are dashed UUIDs; owners and grantees are access keys, invitations address user ids)
        "CREATE TABLE vfolders (id TEXT PRIMARY KEY, host TEXT NOT NULL, name TEXT NOT NULL,"
            + " belongs_to TEXT NOT NULL, created_at TEXT NOT NULL, last_used TEXT);"
            + "CREATE INDEX vfolders_by_owner ON vfolders (belongs_to, name);"
            + "CREATE TABLE vfolder_permissions (vfolder TEXT NOT NULL, access_key TEXT NOT NULL,"
            + " permission TEXT NOT NULL, PRIMARY KEY (vfolder, access_key));"
            + "CREATE INDEX vfolder_permissions_by_key ON vfolder_permissions (access_key);"
            + "CREATE TABLE vfolder_invitations (id TEXT PRIMARY KEY, vfolder TEXT NOT NULL, inviter TEXT NOT NULL,"
            + " invitee TEXT NOT NULL, permission TEXT NOT NULL, state TEXT NOT NULL, created_at TEXT NOT NULL);"
            + "CREATE INDEX vfolder_invitations_by_invitee ON vfolder_invitations (invitee, state);",
        // 4: resource presets
        "CREATE TABLE resource_presets (name TEXT PRIMARY KEY, resource_slots TEXT NOT NULL);"
            + "INSERT INTO resource_presets VALUES ('small', '{\"cpu\": \"1\", \"mem\": \"1073741824\"}');"
            + "INSERT INTO resource_presets VALUES ('medium', '{\"cpu\": \"2\", \"mem\": \"4294967296\"}');"
            + "INSERT INTO resource_presets VALUES ('large', '{\"cpu\": \"4\", \"mem\": \"8589934592\"}');",
        // 5: idle timeout of resource policies (seconds; stored and reported, not enforced locally)
        "ALTER TABLE keypair_resource_policies ADD COLUMN idle_timeout INTEGER NOT NULL DEFAULT 0;",
        // 6: image aliases (alias_image / dealias_image)
        "CREATE TABLE image_aliases (alias TEXT PRIMARY KEY, target TEXT NOT NULL);",
        // 7: app services of images (what 19.03 reads from image labels and service definitions): a JSON list of
        // {name, protocol, port, command}; {python} and {port} in the command are filled in at launch
        "ALTER TABLE images ADD COLUMN service_ports TEXT NOT NULL DEFAULT '[]';"
            + "UPDATE images SET service_ports = '[{\"name\": \"files\", \"protocol\": \"http\", \"port\": 8000, \"command\":"
            + " [\"{python}\", \"-m\", \"http.server\", \"--bind\", \"127.0.0.1\", \"{port}\"]},"
            + " {\"name\": \"jupyter\", \"protocol\": \"http\", \"port\": 8080, \"command\":"
            + " [\"{python}\", \"-m\", \"notebook\", \"--no-browser\", \"--allow-root\", \"--ip=127.0.0.1\", \"--port={port}\","
            + " \"--NotebookApp.token=\", \"--NotebookApp.password=\"]},"
            + " {\"name\": \"jupyterlab\", \"protocol\": \"http\", \"port\": 8090, \"command\":"
            + " [\"{python}\", \"-m\", \"jupyterlab\", \"--no-browser\", \"--allow-root\", \"--ip=127.0.0.1\", \"--port={port}\","
            + " \"--ServerApp.token=\", \"--ServerApp.password=\"]}]' WHERE name = 'python';",
    };

    private final Connection conn;

    private Database(Connection conn) {
        this.conn = conn;
    }

    /** Opens (creating if needed) the database file and applies pending migrations. */
    public static Database open(Path file) throws SQLException {
        Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement st = conn.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            // WAL with synchronous=NORMAL: no fsync per commit (a crash may lose the last commits, never corrupt)
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA busy_timeout=5000");
            st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        }
        Database db = new Database(conn);
        db.migrate();
        return db;
    }

    private synchronized void migrate() throws SQLException {
        int current;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        for (int v = current; v < MIGRATIONS.length; v++) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                for (String sql : MIGRATIONS[v].split(";")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
                st.execute("INSERT INTO schema_version VALUES (" + (v + 1) + ")");
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        }
    }

    static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).toString();
    }

    // ---- keypairs

    public synchronized void insertKeypair(Keypair k) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO keypairs (access_key, secret_key, user_id,"
                + " is_active, is_admin, resource_policy, rate_limit, created_at) VALUES (?,?,?,?,?,?,?,?)")) {
            ps.setString(1, k.accessKey());
            ps.setString(2, k.secretKey());
            ps.setString(3, k.userId());
            ps.setInt(4, k.active() ? 1 : 0);
            ps.setInt(5, k.admin() ? 1 : 0);
            ps.setString(6, k.resourcePolicy());
            ps.setInt(7, k.rateLimit());
            ps.setString(8, now());
            ps.executeUpdate();
        }
    }

    public synchronized Optional<Keypair> findKeypair(String accessKey) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT access_key, secret_key, user_id, is_active, is_admin,"
                + " resource_policy, rate_limit FROM keypairs WHERE access_key = ?")) {
            ps.setString(1, accessKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(keypair(rs)) : Optional.empty();
            }
        }
    }

    public synchronized List<Keypair> keypairs() throws SQLException {
        List<Keypair> list = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT access_key, secret_key, user_id, is_active, is_admin,"
                + " resource_policy, rate_limit FROM keypairs ORDER BY created_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(keypair(rs));
            }
        }
        return list;
    }

    public synchronized void setKeypairActive(String accessKey, boolean active) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE keypairs SET is_active = ? WHERE access_key = ?")) {
            ps.setInt(1, active ? 1 : 0);
            ps.setString(2, accessKey);
            ps.executeUpdate();
        }
    }

    /** Counts one authenticated query: {@code num_queries} + 1 and {@code last_used}. */
    public synchronized void touchKeypair(String accessKey) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "UPDATE keypairs SET num_queries = num_queries + 1, last_used = ? WHERE access_key = ?")) {
            ps.setString(1, now());
            ps.setString(2, accessKey);
            ps.executeUpdate();
        }
    }

    private static Keypair keypair(ResultSet rs) throws SQLException {
        return new Keypair(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0, rs.getInt(5) != 0,
                rs.getString(6), rs.getInt(7));
    }

    // ---- images

    /**
     * An image row: its runtime spec ({@code python} or {@code shell:<path>}), resource limits as text, and its
     * app services as a JSON list of {@code {name, protocol, port, command}}.
     */
    public record ImageRow(String name, String runtime, String minCpu, String minMem, String maxCpu, String maxMem,
                           String servicePorts) {
    }

    /** The image row called {@code name}. */
    public synchronized Optional<ImageRow> image(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT name, runtime, min_cpu, min_mem, max_cpu, max_mem, service_ports FROM images WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ImageRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))) : Optional.empty();
            }
        }
    }

    /** Adds or replaces an image; sessions created afterwards use it. */
    public synchronized void putImage(ImageRow row) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO images (name, runtime, min_cpu, min_mem,"
                + " max_cpu, max_mem, created_at, service_ports) VALUES (?, ?, ?, ?, ?, ?, datetime('now'), ?)")) {
            ps.setString(1, row.name());
            ps.setString(2, row.runtime());
            ps.setString(3, row.minCpu());
            ps.setString(4, row.minMem());
            ps.setString(5, row.maxCpu());
            ps.setString(6, row.maxMem());
            ps.setString(7, row.servicePorts());
            ps.executeUpdate();
        }
    }

    /** How many alias hops {@link #followAliases} takes at most, as the 19.03 manager. */
    public static final int MAX_ALIAS_HOPS = 8;

    /**
     * The reference an image alias leads to: aliases are followed up to {@link #MAX_ALIAS_HOPS} hops; a
     * reference that is no alias is returned as it is.
     */
    public synchronized String followAliases(String reference) throws SQLException {
        String ref = reference;
        try (PreparedStatement ps = conn.prepareStatement("SELECT target FROM image_aliases WHERE alias = ?")) {
            for (int hop = 0; hop < MAX_ALIAS_HOPS; hop++) {
                ps.setString(1, ref);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    ref = rs.getString(1);
                }
            }
        }
        return ref;
    }

    /** Every image alias and its target, by alias. */
    public synchronized Map<String, String> imageAliases() throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT alias, target FROM image_aliases ORDER BY alias");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Points {@code alias} at {@code target}, replacing an alias of that name (as 19.03's etcd put does). */
    public synchronized void putImageAlias(String alias, String target) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT OR REPLACE INTO image_aliases (alias, target) VALUES (?, ?)")) {
            ps.setString(1, alias);
            ps.setString(2, target);
            ps.executeUpdate();
        }
    }

    /** Removes an alias; removing one that does not exist changes nothing. */
    public synchronized void deleteImageAlias(String alias) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM image_aliases WHERE alias = ?")) {
            ps.setString(1, alias);
            ps.executeUpdate();
        }
    }

    // ---- resource presets

    /** A resource preset: a name and its slots as a JSON object of strings. */
    public record ResourcePreset(String name, String resourceSlots) {
    }

    public synchronized List<ResourcePreset> resourcePresets() throws SQLException {
        List<ResourcePreset> list = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT name, resource_slots FROM resource_presets ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new ResourcePreset(rs.getString(1), rs.getString(2)));
            }
        }
        return list;
    }

    // ---- resource policies

    /** A keypair resource policy (the fields the kernel API enforces). */
    public record ResourcePolicy(String name, String defaultForUnspecified, String totalResourceSlots,
                                 int maxConcurrentSessions) {
    }

    public synchronized Optional<ResourcePolicy> resourcePolicy(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT name, default_for_unspecified, total_resource_slots,"
                + " max_concurrent_sessions FROM keypair_resource_policies WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new ResourcePolicy(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getInt(4))) : Optional.empty();
            }
        }
    }

    /** The idle timeout in seconds of the policy of {@code accessKey}'s keypair; 0 (none) when there is none. */
    public synchronized long idleTimeoutSeconds(String accessKey) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT p.idle_timeout FROM keypairs k"
                + " JOIN keypair_resource_policies p ON p.name = k.resource_policy WHERE k.access_key = ?")) {
            ps.setString(1, accessKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Changes a policy's limits (administration; tests). */
    public synchronized void updateResourcePolicy(ResourcePolicy p) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE keypair_resource_policies SET default_for_unspecified = ?,"
                + " total_resource_slots = ?, max_concurrent_sessions = ? WHERE name = ?")) {
            ps.setString(1, p.defaultForUnspecified());
            ps.setString(2, p.totalResourceSlots());
            ps.setInt(3, p.maxConcurrentSessions());
            ps.setString(4, p.name());
            ps.executeUpdate();
        }
    }

    // ---- kernels

    /** A kernel row as stored. */
    public record KernelRow(String id, String sessId, String accessKey, String image, String tag, String status,
                            String createdAt, String terminatedAt) {
    }

    public synchronized void insertKernel(KernelRow k, String environJson, String occupiedSlotsJson) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO kernels (id, sess_id, access_key, image, tag,"
                + " status, created_at, environ, occupied_slots) VALUES (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(9, occupiedSlotsJson);
            ps.setString(1, k.id());
            ps.setString(2, k.sessId());
            ps.setString(3, k.accessKey());
            ps.setString(4, k.image());
            ps.setString(5, k.tag());
            ps.setString(6, k.status());
            ps.setString(7, k.createdAt());
            ps.setString(8, environJson);
            ps.executeUpdate();
        }
    }

    /** Marks a kernel terminated and records its final statistics. */
    public synchronized void terminateKernel(String id, String statusInfo, long cpuUsedMs, long memMaxBytes,
                                             long ioRead, long ioWrite) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE kernels SET status = 'TERMINATED', status_info = ?,"
                + " terminated_at = ?, cpu_used = ?, mem_max_bytes = ?, io_read_bytes = ?, io_write_bytes = ?"
                + " WHERE id = ?")) {
            ps.setString(1, statusInfo);
            ps.setString(2, now());
            ps.setLong(3, cpuUsedMs);
            ps.setLong(4, memMaxBytes);
            ps.setLong(5, ioRead);
            ps.setLong(6, ioWrite);
            ps.setString(7, id);
            ps.executeUpdate();
        }
    }

    /** Marks every kernel that was running when the server last stopped as terminated. */
    public synchronized int terminateStaleKernels() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE kernels SET status = 'TERMINATED',"
                + " status_info = 'server-restarted', terminated_at = ? WHERE status <> 'TERMINATED'")) {
            ps.setString(1, now());
            return ps.executeUpdate();
        }
    }

    public synchronized List<KernelRow> kernels(String status) throws SQLException {
        List<KernelRow> list = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, sess_id, access_key, image, tag, status,"
                + " created_at, terminated_at FROM kernels WHERE ? IS NULL OR status = ? ORDER BY created_at")) {
            ps.setString(1, status);
            ps.setString(2, status);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new KernelRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
        }
        return list;
    }

    public synchronized void incrementKernelQueries(String id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE kernels SET num_queries = num_queries + 1 WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    @Override
    public synchronized void close() throws SQLException {
        conn.close();
    }

    /**
     * The single connection, for data-access classes of other packages (the virtual folders). Callers must
     * hold this object's monitor ({@code synchronized (database)}) while they use it, as every method here does.
     */
    public Connection connection() {
        return conn;
    }
}
