package ai.backend.client.kernel;

import ai.backend.client.BackendAPIError;
import ai.backend.client.BackendClientError;
import ai.backend.client.BackendError;
import ai.backend.client.Request;
import ai.backend.client.internal.HttpEngine;
import ai.backend.client.internal.HttpStatus;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
        String scheme = engine.config().endpoint().getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
        WebSocket.Builder builder = engine.httpClient().newWebSocketBuilder()
                .connectTimeout(engine.config().connectTimeout().isZero() ? Duration.ofDays(1) : engine.config().connectTimeout());
        String[] headers = engine.signedHeaders(request, true);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.buildAsync(engine.uri(request, scheme), listener)
                .handle((ws, error) -> {
                    if (error != null) {
                        throw failure(engine, error);
                    }
                    return ws;
                });
    }

    static BackendError failure(HttpEngine engine, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof WebSocketHandshakeException) {
            var response = ((WebSocketHandshakeException) cause).getResponse();
            Object body = response.body();
            String text = body instanceof byte[] ? new String((byte[]) body, java.nio.charset.StandardCharsets.UTF_8)
                    : body == null ? "" : body.toString();
            if (text.isEmpty()) {
                // a refusal without a body (some proxies send none): say what is known
                text = "{\"type\": \"" + BackendAPIError.GENERIC_ERROR_TYPE + "\", \"title\": \"The WebSocket handshake was refused with HTTP "
                        + response.statusCode() + " " + HttpStatus.reason(response.statusCode()) + ".\"}";
            }
            return BackendAPIError.fromBody(response.statusCode(), HttpStatus.reason(response.statusCode()), text);
        }
        if (cause instanceof BackendError) {
            return (BackendError) cause;
        }
        return BackendClientError.connectionFailed(engine.config().endpoint().toString(), cause);
    }
}
