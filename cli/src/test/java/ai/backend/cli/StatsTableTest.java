package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatsTableTest {
    @Test
    void humanizesSizesLikePython() {
        assertThat(StatsTable.naturalSize(0)).isEqualTo("0 Bytes");
        assertThat(StatsTable.naturalSize(1)).isEqualTo("1 Byte");
        assertThat(StatsTable.naturalSize(1023)).isEqualTo("1023 Bytes");
        assertThat(StatsTable.naturalSize(4096)).isEqualTo("4.0 KiB");
        assertThat(StatsTable.naturalSize(100L * 1024 * 1024)).isEqualTo("100.0 MiB");
        assertThat(StatsTable.naturalSize(3L * 1024 * 1024 * 1024 / 2)).isEqualTo("1.5 GiB");
    }

    @Test
    void formatsTheStatisticsTableAs1903() throws Exception {
        var stats = new ObjectMapper().readTree("{\"precpu_used\": 0, \"cpu_used\": 1234, \"precpu_system_used\": 0, "
                + "\"cpu_system_used\": 0, \"mem_max_bytes\": 104857600, \"net_rx_bytes\": 0, \"io_max_scratch_size\": 4096}");
        assertThat(StatsTable.format(stats, Set.of("precpu_used", "precpu_system_used", "cpu_system_used"))).containsExactly(
                "-------------------  ---------",
                "cpu_used_msec        1,234    ",
                "mem_max_bytes        100.0 MiB",
                "net_rx_bytes         0 Bytes  ",
                "io_max_scratch_size  4.0 KiB  ",
                "-------------------  ---------");
    }
}
