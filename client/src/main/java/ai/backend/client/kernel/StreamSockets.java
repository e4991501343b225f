package ai.backend.client.kernel;

import ai.backend.client.BackendAPIError;
import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;

/** Opens the signed WebSocket of a session stream ({@code /stream/kernel/{sess}/<kind>}). */
final class StreamSockets {
    private StreamSockets() {
    }

    /**
     * Connects, signing the handshake as protocol §5 says (content type {@code application/octet-stream},
     * no Content-Type header). Fails with {@link BackendAPIError} for a refused handshake.
     */
    static CompletableFuture<WebSocket> connect(HttpEngine engine, SessionRef ref, String kind, WebSocket.Listener listener) {
        return connect(engine, Request.get("/stream" + KernelCalls.path(ref.id(), "/" + kind))
                .queryParam("owner_access_key", ref.ownerAccessKey()).build(), listener);
    }

    /** Connects to the stream of {@code request} (a GET with its query), signed as above. */
    static CompletableFuture<WebSocket> connect(HttpEngine engine, Request request, WebSocket.Listener listener) {
        return engine.openWebSocket(request.pathAndQuery(), listener);
    }
}
