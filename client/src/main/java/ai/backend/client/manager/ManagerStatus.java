package ai.backend.client.manager;

import com.fasterxml.jackson.databind.JsonNode;

/** The manager's status ({@code running}, {@code frozen}, ...) and how many sessions are alive. */
public record ManagerStatus(String status, int activeSessions, JsonNode raw) {
}
