package ai.backend.local.vfolder;

import ai.backend.client.internal.Json;
import ai.backend.local.store.Database;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The virtual folder metadata in the server's SQLite database (tables {@code vfolders},
 * {@code vfolder_permissions} and {@code vfolder_invitations}, migration 3). Folders are owned by an access
 * key ({@code belongs_to}); shares grant a permission to an access key; invitations go from one user id to
 * another. Every method holds the {@link Database}'s monitor while it uses the shared connection.
 */
public final class VFolderStore {
    /** A folder row; {@code id} is the dashed UUID. */
    public record VFolder(String id, String host, String name, String belongsTo, String createdAt) {
        /** The id as REST responses show it: 32 hex digits without dashes. */
        public String hexId() {
            return id.replace("-", "");
        }
    }

    /** A folder as some access key sees it: owned (permission {@code wd}) or shared with a permission. */
    public record Access(VFolder folder, boolean owner, String permission) {
    }

    /** The vfolder limits of a keypair resource policy; {@code maxVfolderSize} is in KiB (0: unlimited). */
    public record Policy(int maxVfolderCount, long maxVfolderSize, List<String> allowedHosts) {
    }

    /** An invitation row. */
    public record Invitation(String id, String vfolder, String inviter, String invitee, String permission,
                             String state, String createdAt) {
    }

    private final Database db;

    public VFolderStore(Database db) {
        this.db = db;
    }

    /** The current time as stored: ISO-8601 UTC with microseconds, as the manager's timestamps have. */
    static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS).toString();
    }

    @FunctionalInterface
    private interface Sql<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T sql(Sql<T> body) {
        synchronized (db) {
            try {
                return body.run(db.connection());
            } catch (SQLException e) {
                throw new IllegalStateException("vfolder database error: " + e.getMessage(), e);
            }
        }
    }

    /** Runs {@code body} in one transaction (the database monitor is held throughout). */
    <T> T transaction(java.util.function.Supplier<T> body) {
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try {
                    T result = body.get();
                    c.commit();
                    return result;
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("vfolder database error: " + e.getMessage(), e);
            }
        }
    }

    // ---- policies and users

    /** The vfolder limits of the named keypair resource policy. */
    public Optional<Policy> policy(String policyName) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT max_vfolder_count, max_vfolder_size,"
                    + " allowed_vfolder_hosts FROM keypair_resource_policies WHERE name = ?")) {
                ps.setString(1, policyName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Policy(rs.getInt(1), rs.getLong(2), hosts(rs.getString(3))));
                }
            }
        });
    }

    /** {@code allowed_vfolder_hosts}: a JSON list of names (a bare string or comma list is accepted too). */
    static List<String> hosts(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        try {
            JsonNode node = Json.parse(text);
            if (node != null && node.isArray()) {
                node.forEach(h -> out.add(h.asText()));
                return out;
            }
            if (node != null && node.isTextual()) {
                text = node.asText();
            }
        } catch (IOException e) {
            // not JSON: a plain string, as the 19.03 CLI sends a user-supplied value
        }
        for (String h : text.split(",")) {
            if (!h.isBlank()) {
                out.add(h.trim());
            }
        }
        return out;
    }

    /** The user id of an access key. */
    public Optional<String> userIdOf(String accessKey) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_id FROM keypairs WHERE access_key = ?")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Whether some keypair belongs to {@code userId}. */
    public boolean userExists(String userId) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM keypairs WHERE user_id = ? LIMIT 1")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    // ---- folders

    private static final String COLUMNS = "v.id, v.host, v.name, v.belongs_to, v.created_at";

    private static VFolder folder(ResultSet rs) throws SQLException {
        return new VFolder(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
    }

    /** Every folder {@code accessKey} can use: owned ones first (oldest first), then shared ones. */
    public List<Access> accessible(String accessKey) {
        return sql(c -> {
            List<Access> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                    + " FROM vfolders v WHERE v.belongs_to = ? ORDER BY v.created_at, v.id")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Access(folder(rs), true, "wd"));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", p.permission FROM vfolders v"
                    + " JOIN vfolder_permissions p ON p.vfolder = v.id WHERE p.access_key = ? AND v.belongs_to <> ?"
                    + " ORDER BY v.created_at, v.id")) {
                ps.setString(1, accessKey);
                ps.setString(2, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new Access(folder(rs), false, rs.getString(6)));
                    }
                }
            }
            return list;
        });
    }

    /** The folder named {@code name} among those {@code accessKey} can use (an owned one first). */
    public Optional<Access> find(String accessKey, String name) {
        return accessible(accessKey).stream().filter(a -> a.folder().name().equals(name)).findFirst();
    }

    public Optional<VFolder> byId(String id) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM vfolders v WHERE v.id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(folder(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The number of folders {@code accessKey} owns. */
    public int countOwned(String accessKey) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM vfolders WHERE belongs_to = ?")) {
                ps.setString(1, accessKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
        });
    }

    public void insert(VFolder f) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO vfolders (id, host, name, belongs_to, created_at) VALUES (?,?,?,?,?)")) {
                ps.setString(1, f.id());
                ps.setString(2, f.host());
                ps.setString(3, f.name());
                ps.setString(4, f.belongsTo());
                ps.setString(5, f.createdAt());
                return ps.executeUpdate();
            }
        });
    }

    public void rename(String id, String newName) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE vfolders SET name = ? WHERE id = ?")) {
                ps.setString(1, newName);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Records that the folder was used now ({@code last_used}). */
    public void touch(String id) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE vfolders SET last_used = ? WHERE id = ?")) {
                ps.setString(1, now());
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes the folder row with its shares and invitations. */
    public void delete(String id) {
        transaction(() -> sql(c -> {
            for (String q : new String[] {"DELETE FROM vfolder_permissions WHERE vfolder = ?",
                    "DELETE FROM vfolder_invitations WHERE vfolder = ?", "DELETE FROM vfolders WHERE id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(q)) {
                    ps.setString(1, id);
                    ps.executeUpdate();
                }
            }
            return null;
        }));
    }

    /** Grants (or changes) {@code accessKey}'s permission on a folder. */
    public void grant(String vfolderId, String accessKey, String permission) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vfolder_permissions (vfolder, access_key,"
                    + " permission) VALUES (?,?,?) ON CONFLICT (vfolder, access_key) DO UPDATE SET permission = excluded.permission")) {
                ps.setString(1, vfolderId);
                ps.setString(2, accessKey);
                ps.setString(3, permission);
                return ps.executeUpdate();
            }
        });
    }

    // ---- invitations

    private static Invitation invitation(ResultSet rs) throws SQLException {
        return new Invitation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }

    private static final String INVITATION_COLUMNS = "id, vfolder, inviter, invitee, permission, state, created_at";

    public boolean pendingInvitationExists(String vfolderId, String inviter, String invitee) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM vfolder_invitations WHERE vfolder = ?"
                    + " AND inviter = ? AND invitee = ? AND state = 'pending' LIMIT 1")) {
                ps.setString(1, vfolderId);
                ps.setString(2, inviter);
                ps.setString(3, invitee);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public void insertInvitation(Invitation i) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO vfolder_invitations (" + INVITATION_COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, i.id());
                ps.setString(2, i.vfolder());
                ps.setString(3, i.inviter());
                ps.setString(4, i.invitee());
                ps.setString(5, i.permission());
                ps.setString(6, i.state());
                ps.setString(7, i.createdAt());
                return ps.executeUpdate();
            }
        });
    }

    /** The pending invitations addressed to {@code userId}, oldest first. */
    public List<Invitation> pendingInvitationsFor(String userId) {
        return sql(c -> {
            List<Invitation> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + INVITATION_COLUMNS + " FROM vfolder_invitations"
                    + " WHERE invitee = ? AND state = 'pending' ORDER BY created_at, id")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(invitation(rs));
                    }
                }
            }
            return list;
        });
    }

    public Optional<Invitation> invitation(String id) {
        return sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + INVITATION_COLUMNS
                    + " FROM vfolder_invitations WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(invitation(rs)) : Optional.empty();
                }
            }
        });
    }

    public void setInvitationState(String id, String state) {
        sql(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE vfolder_invitations SET state = ? WHERE id = ?")) {
                ps.setString(1, state);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
    }
}
