package ai.backend.local.api;

import ai.backend.client.internal.Json;
import ai.backend.local.graphql.GraphQLApi;
import ai.backend.local.store.Keypair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Installs the manager's routes on a Javalin configuration, with the 19.03 middleware order (protocol
 * §1.4): version check, authentication, rate limit, handler; errors rendered as problem+json (§6).
 */
public final class Routes {
    private static final System.Logger LOG = System.getLogger(Routes.class.getName());
    /** The API versions the 19.03 manager accepts in {@code X-BackendAI-Version}. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("v1.20160915", "v2.20170315", "v3.20170615",
            "v4.20181215", "v4.20190115", "v4.20190315");
    public static final String API_VERSION = "v4.20190315";
    public static final String MANAGER_VERSION = "19.03.5";

    private final Authenticator authenticator;
    private final RateLimiter rateLimiter = new RateLimiter();

    private Routes(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Configures {@code config} with every route of this server. */
    public static void install(JavalinConfig config, Authenticator authenticator, KernelApi kernels, StreamApi streams,
                               GraphQLApi graphql, ai.backend.local.vfolder.VFolderApi vfolders, ManagerApi manager) {
        Routes r = new Routes(authenticator);
        config.router.ignoreTrailingSlashes = false;
        config.router.treatMultipleSlashesAsSingleSlash = false;
        config.http.prefer405over404 = true;
        config.http.maxRequestSize = 1024 * 1024;
        forgetHttpSessions(config);
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.modifyHttpConfiguration(h -> h.setSendServerVersion(false));

        config.routes.before(ctx -> {
            ctx.header("Server", "BackendAI");
            checkVersion(ctx);
            manager.gate(ctx);
        });
        config.routes.get("/manager/status", r.anonymous(manager::status));
        config.routes.put("/manager/status", r.user(manager::setStatus));
        config.routes.get("/etcd/resource-slots", r.anonymous(manager::resourceSlots));
        config.routes.get("/resource/presets", r.user(manager::presets));
        config.routes.post("/resource/check-presets", r.user(manager::checkPresets));
        config.routes.post("/resource/recalculate-usage", r.user(manager::recalculateUsage));
        config.routes.get("/", r.anonymous(api -> api.json(200,
                orderedMap("version", API_VERSION, "manager", MANAGER_VERSION))));
        for (String path : List.of("/auth", "/auth/test")) {
            config.routes.addHttpHandler(HandlerType.GET, path, r.user(Routes::authTest));
            config.routes.addHttpHandler(HandlerType.POST, path, r.user(Routes::authTest));
        }
        config.routes.post("/kernel/create", r.user(kernels::create));
        config.routes.post("/kernel", r.user(kernels::create));
        config.routes.post("/kernel/{sess}", r.user(kernels::execute));
        config.routes.delete("/kernel/{sess}", r.user(kernels::destroy));
        config.routes.get("/kernel/{sess}", r.user(kernels::info));
        config.routes.patch("/kernel/{sess}", r.user(kernels::restart));
        config.routes.post("/kernel/{sess}/interrupt", r.user(kernels::interrupt));
        config.routes.post("/kernel/{sess}/complete", r.user(kernels::complete));
        config.routes.get("/kernel/{sess}/logs", r.user(kernels::logs));
        config.routes.post("/admin/graphql", r.user(graphql::handle));
        config.routes.post("/kernel/{sess}/upload", r.user(kernels::upload));
        config.routes.post("/folders", r.user(vfolders::create));
        config.routes.get("/folders", r.user(vfolders::list));
        config.routes.get("/folders/_/hosts", r.user(vfolders::hosts));
        config.routes.get("/folders/invitations/list", r.user(vfolders::invitations));
        config.routes.post("/folders/invitations/accept", r.user(vfolders::acceptInvitation));
        config.routes.delete("/folders/invitations/delete", r.user(vfolders::deleteInvitation));
        config.routes.get("/folders/{name}", r.user(vfolders::info));
        config.routes.delete("/folders/{name}", r.user(vfolders::delete));
        config.routes.post("/folders/{name}/rename", r.user(vfolders::rename));
        config.routes.post("/folders/{name}/mkdir", r.user(vfolders::mkdir));
        config.routes.post("/folders/{name}/upload", r.user(vfolders::upload));
        config.routes.delete("/folders/{name}/delete_files", r.user(vfolders::deleteFiles));
        config.routes.get("/folders/{name}/download", r.user(vfolders::download));
        config.routes.get("/folders/{name}/download_single", r.user(vfolders::downloadSingle));
        config.routes.get("/folders/{name}/files", r.user(vfolders::listFiles));
        config.routes.post("/folders/{name}/invite", r.user(vfolders::invite));
        SessionFilesApi sessionFiles = new SessionFilesApi(streams.agent(), kernels.fileLimits());
        config.routes.get("/kernel/{sess}/download", r.user(sessionFiles::download));
        config.routes.get("/kernel/{sess}/files", r.user(sessionFiles::listFiles));
        streams.install(config);
        new TerminalApi(streams.agent(), authenticator).install(config);
        new AppProxyApi(streams.agent(), authenticator).install(config);

        config.routes.exception(Problem.class, (e, ctx) -> render(ctx, e));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 404) {
                render(ctx, Problem.notFound());
            } else if (e.getStatus() == 405) {
                render(ctx, Problem.methodNotAllowed());
            } else {
                render(ctx, Problem.badRequest(null));
            }
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.log(System.Logger.Level.ERROR, "unhandled error on " + ctx.method() + " " + ctx.path(), e);
            render(ctx, Problem.internal(null));
        });
    }

    private static void checkVersion(Context ctx) {
        String version = ctx.header("X-BackendAI-Version");
        if (version == null) {
            version = ctx.header("X-Sorna-Version");
        }
        if (version != null && !SUPPORTED_VERSIONS.contains(version)) {
            throw Problem.badRequest("Unsupported API major version.");
        }
    }

    private io.javalin.http.Handler anonymous(ApiHandler handler) {
        return ctx -> {
            handler.handle(new ApiContext(ctx, null));
            ctx.header("X-RateLimit-Limit", "1000");
            ctx.header("X-RateLimit-Remaining", "1000");
            ctx.header("X-RateLimit-Window", Integer.toString(RateLimiter.WINDOW_SECONDS));
        };
    }

    private io.javalin.http.Handler user(ApiHandler handler) {
        return ctx -> {
            Keypair keypair = authenticator.authenticate(signedRequest(ctx));
            int remaining = rateLimiter.hit(keypair.accessKey(), keypair.rateLimit());
            handler.handle(new ApiContext(ctx, keypair));
            ctx.header("X-RateLimit-Limit", Integer.toString(keypair.rateLimit()));
            ctx.header("X-RateLimit-Remaining", Integer.toString(remaining));
            ctx.header("X-RateLimit-Window", Integer.toString(RateLimiter.WINDOW_SECONDS));
        };
    }

    /**
     * Authenticates the handshake of a session stream and finds the requester's session (as in 19.03, the
     * stream endpoints ignore {@code owner_access_key}); throws the HTTP problem before the upgrade.
     */
    static ai.backend.local.agent.LocalKernel streamSession(Context ctx, Authenticator authenticator,
                                                             ai.backend.local.agent.Agent agent) {
        Keypair keypair = authenticator.authenticate(signedRequest(ctx));
        return agent.find(keypair.accessKey(), ctx.pathParam("sess")).orElseThrow(Problem::kernelNotFound);
    }

    /** The parts of a Javalin request the signature covers, taken raw (undecoded path, Host as sent). */
    static Authenticator.SignedRequest signedRequest(Context ctx) {
        String query = ctx.req().getQueryString();
        String target = ctx.req().getRequestURI() + (query == null ? "" : "?" + query);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : List.of("Date", "X-BackendAI-Date", "X-Sorna-Date", "Authorization",
                "X-BackendAI-Version", "X-Sorna-Version")) {
            String v = ctx.header(name);
            if (v != null) {
                headers.put(name, v);
            }
        }
        String contentType = ctx.header("Content-Type");
        if (contentType != null) {
            int semi = contentType.indexOf(';');
            contentType = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        }
        String version = headers.getOrDefault("X-BackendAI-Version", headers.get("X-Sorna-Version"));
        byte[] body = version != null && version.compareTo("v4.20181215") < 0 ? ctx.bodyAsBytes() : null;
        return new Authenticator.SignedRequest(ctx.method().name().toUpperCase(Locale.ROOT), target,
                ctx.header("Host"), contentType, headers, body);
    }

    private static void authTest(ApiContext api) {
        JsonNode body;
        try {
            body = Json.parse(api.ctx().bodyAsBytes());
        } catch (java.io.IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            throw Problem.invalidAuthParams("Malformed body");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("authorized", "yes");
        if (body.has("echo")) {
            out.set("echo", body.get("echo"));
        }
        api.json(200, out);
    }

    /** Writes a problem as the 19.03 manager does. */
    /**
     * Runs the checks of a WebSocket handshake; a refusal is written out with its problem body right away (Javalin
     * would otherwise send the refused handshake's status with an empty body, where 19.03 sends the body).
     */
    static void beforeUpgrade(Context ctx, Runnable checks) {
        try {
            checks.run();
        } catch (Problem p) {
            render(ctx, p);
            try {
                byte[] body = ctx.resultInputStream() == null ? new byte[0] : ctx.resultInputStream().readAllBytes();
                ctx.res().setContentLength(body.length);
                ctx.res().getOutputStream().write(body);
                ctx.res().flushBuffer();
            } catch (java.io.IOException e) {
                // the client is gone
            }
            throw p;
        }
    }

    /**
     * Javalin opens an HTTP session for every WebSocket upgrade (to copy its attributes), and by default Jetty keeps
     * them forever: one per stream, terminal and proxy connection. APIs that use no sessions call this to have each
     * one forgotten as soon as its request ends.
     */
    public static void forgetHttpSessions(JavalinConfig config) {
        config.jetty.modifyServletContextHandler(h -> {
            org.eclipse.jetty.ee10.servlet.SessionHandler sessions = h.getSessionHandler();
            if (sessions != null) {
                org.eclipse.jetty.session.DefaultSessionCache cache = new org.eclipse.jetty.session.DefaultSessionCache(sessions);
                cache.setEvictionPolicy(org.eclipse.jetty.session.SessionCache.EVICT_ON_SESSION_EXIT);
                cache.setSessionDataStore(new org.eclipse.jetty.session.NullSessionDataStore());
                sessions.setSessionCache(cache);
            }
        });
    }

    static void render(Context ctx, Problem p) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", p.type());
        body.put("title", p.agentDetails() != null ? p.baseTitle() : p.fullTitle());
        if (p.data() != null) {
            body.set("data", p.data());
        }
        if (p.agentDetails() != null) {
            body.set("agent-details", p.agentDetails());
        }
        ctx.status(p.status()).contentType("application/problem+json; charset=utf-8").result(Json.pythonDumpsBytes(body));
    }

    private static Map<String, Object> orderedMap(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
