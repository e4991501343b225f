package ai.backend.local.graphql;

import ai.backend.client.Session;
import ai.backend.local.TestServer;
import ai.backend.local.store.Keypair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh local server per test, with a session for its user key and one for its admin key. */
abstract class ServerFixture {
    TestServer server;
    Session user;
    Session admin;
    Keypair userKey;
    Keypair adminKey;

    @BeforeEach
    void startServer() {
        server = TestServer.start();
        user = new Session(server.userConfig());
        admin = new Session(server.adminConfig());
        userKey = server.server().userKeypair();
        adminKey = server.server().adminKeypair();
    }

    /** Runs after the subclass's own {@code @AfterEach} methods. */
    @AfterEach
    void stopServer() {
        user.close();
        admin.close();
        server.close();
    }
}
