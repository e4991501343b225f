package ai.backend.local.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import ai.backend.client.BackendAPIError;

/** Checks on the first error object of a graphql-error. */
final class BackendAPIErrorAssert {
    private BackendAPIErrorAssert() {
    }

    static void message(BackendAPIError e, String expected) {
        assertThat(e.data().get("data").get(0).get("message").asText()).isEqualTo(expected);
    }

    static void messageContains(BackendAPIError e, String expected) {
        assertThat(e.data().get("data").get(0).get("message").asText()).contains(expected);
    }
}
