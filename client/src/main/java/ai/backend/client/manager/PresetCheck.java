package ai.backend.client.manager;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /resource/check-presets} reports: the keypair's limits, use and remainder, what the
 * agents can still give, and which presets fit. Values are decimal strings; {@code Infinity} means unlimited.
 */
public record PresetCheck(Map<String, String> keypairLimits, Map<String, String> keypairUsing,
                          Map<String, String> keypairRemaining, Map<String, String> scalingGroupRemaining,
                          List<ResourcePreset> presets, JsonNode raw) {
}
