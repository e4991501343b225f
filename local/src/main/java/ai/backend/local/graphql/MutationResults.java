package ai.backend.local.graphql;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code {ok, msg}} objects every 19.03 mutation answers with, including its messages for database errors. */
final class MutationResults {
    private MutationResults() {
    }

    static Map<String, Object> result(boolean ok, String msg) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ok", ok);
        r.put("msg", msg);
        return r;
    }

    /** A failed statement, worded as 19.03's mutations word it ("integrity error: ..." or "unexpected error: ..."). */
    static Map<String, Object> failure(SQLException e) {
        String m = String.valueOf(e.getMessage());
        boolean integrity = m.contains("CONSTRAINT") || m.contains("constraint");
        return result(false, (integrity ? "integrity error: " : "unexpected error: ") + m);
    }
}
