package ai.backend.local.vfolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.backend.client.AsyncSession;
import ai.backend.client.BackendAPIError;
import ai.backend.local.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vfolder functions of the AsyncSession, with progress reported for a streamed transfer. */
class AsyncVFoldersTest {
    @Test
    void createsUploadsDownloadsAndDeletesAsynchronously(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start(); AsyncSession s = new AsyncSession(server.userConfig())) {
            var v = s.vfolders();
            assertThat(v.create("asyncdata", null).get(30, TimeUnit.SECONDS).name()).isEqualTo("asyncdata");
            byte[] data = new byte[3 * 1024 * 1024];
            new java.util.Random(9).nextBytes(data);
            Files.write(dir.resolve("big.bin"), data);
            AtomicLong uploaded = new AtomicLong();
            v.upload("asyncdata", List.of(dir.resolve("big.bin")), dir, (f, done, total) -> {
                assertThat(total).isEqualTo(data.length);
                uploaded.set(done);
            }).get(60, TimeUnit.SECONDS);
            assertThat(uploaded.get()).isEqualTo(data.length);
            Path dest = Files.createDirectory(dir.resolve("dest"));
            AtomicLong downloaded = new AtomicLong();
            List<Path> files = v.download("asyncdata", List.of("big.bin"), dest, (f, done, total) -> downloaded.set(done))
                    .get(60, TimeUnit.SECONDS);
            assertThat(Files.readAllBytes(files.get(0))).isEqualTo(data);
            assertThat(downloaded.get()).isEqualTo(data.length);
            assertThat(v.listFiles("asyncdata", ".").get(30, TimeUnit.SECONDS)).extracting(f -> f.filename()).containsExactly("big.bin");
            v.delete("asyncdata").get(30, TimeUnit.SECONDS);
            assertThatThrownBy(() -> v.info("asyncdata").get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(BackendAPIError.class);
        }
    }
}
