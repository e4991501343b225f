package ai.backend.local.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceSlotsTest {
    @Test
    void parsesByteSizesAsTheManagerDoes() {
        assertThat(ResourceSlots.parse("mem", "512m")).isEqualTo(BigDecimal.valueOf(512L << 20));
        assertThat(ResourceSlots.parse("mem", "4g")).isEqualTo(BigDecimal.valueOf(4L << 30));
        assertThat(ResourceSlots.parse("mem", "4GiB")).isEqualTo(BigDecimal.valueOf(4L << 30));
        assertThat(ResourceSlots.parse("mem", "1.5k")).isEqualTo(BigDecimal.valueOf(1536));
        assertThat(ResourceSlots.parse("mem", "256")).as("a plain number is bytes").isEqualTo(BigDecimal.valueOf(256));
        assertThat(ResourceSlots.parse("mem", "2mbytes")).isEqualTo(BigDecimal.valueOf(2L << 20));
        assertThat(ResourceSlots.isInfinite(ResourceSlots.parse("mem", "inf"))).isTrue();
    }

    @Test
    void parsesCountsWithThreeDecimals() {
        assertThat(ResourceSlots.parse("cpu", "2")).isEqualByComparingTo("2");
        assertThat(ResourceSlots.parse("cpu", "0.12345")).isEqualByComparingTo("0.123");
    }

    @Test
    void refusesBadValuesAndUnknownSlots() {
        assertThatThrownBy(() -> ResourceSlots.parse("gpu", "1")).hasMessage("Unknown requested resource slot: gpu");
        assertThatThrownBy(() -> ResourceSlots.parse("mem", "lots")).hasMessage("Invalid resource value: mem=lots");
        assertThatThrownBy(() -> ResourceSlots.parse("cpu", "-1")).hasMessageContaining("Invalid resource value");
    }

    @Test
    void formatsAndComparesSlots() {
        ResourceSlots min = ResourceSlots.of(Map.of("mem", ResourceSlots.parse("mem", "256m"), "cpu", BigDecimal.ONE));
        assertThat(min.toString()).isEqualTo("cpu=1 mem=256m");
        ResourceSlots req = ResourceSlots.of(Map.of("cpu", new BigDecimal("0.5"), "mem", ResourceSlots.parse("mem", "1g")));
        assertThat(min.fitsIn(req)).isFalse();
        assertThat(req.toString()).isEqualTo("cpu=0.5 mem=1g");
        assertThat(req.toStrings()).containsEntry("mem", "1073741824").containsEntry("cpu", "0.5");
        assertThat(min.plus(req).get("mem")).isEqualTo(BigDecimal.valueOf((256L << 20) + (1L << 30)));
    }
}
