package ai.backend.client.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** An agent: where sessions run. Slots are JSON texts as the manager sends them. */
public record AgentInfo(String id, String status, String region, String addr, String firstContact,
                        String availableSlots, String occupiedSlots, JsonNode raw) {
    static final String FIELDS = "id status region addr first_contact available_slots occupied_slots";

    static AgentInfo fromJson(JsonNode n) {
        return new AgentInfo(KeyPairInfo.text(n, "id"), KeyPairInfo.text(n, "status"), KeyPairInfo.text(n, "region"),
                KeyPairInfo.text(n, "addr"), KeyPairInfo.text(n, "first_contact"), KeyPairInfo.text(n, "available_slots"),
                KeyPairInfo.text(n, "occupied_slots"), n);
    }
}
