package ai.backend.client;

import ai.backend.client.internal.HttpEngine;

/**
 * What {@link Session} and {@link AsyncSession} share: the configuration and the one HTTP engine.
 * {@link #close()} releases the engine's threads; closing does not destroy compute sessions on the server.
 */
public abstract sealed class BaseSession implements AutoCloseable permits Session, AsyncSession {
    private final HttpEngine engine;

    BaseSession(APIConfig config) {
        this.engine = new HttpEngine(config);
    }

    public final APIConfig config() {
        return engine.config();
    }

    /** The engine behind this session, for other SDK packages. Internal. */
    public final HttpEngine engine() {
        return engine;
    }

    @Override
    public final void close() {
        engine.close();
    }
}
