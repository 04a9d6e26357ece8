package it.semaforo.testing;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A real S3 server for the mirror's tests: S3Proxy with its filesystem store, on a loopback
 * port of its own, in the test JVM. It can be stopped and started again on the same port and
 * store, as a provider that goes away for a while. Reads go through the AWS SDK, as any reader's.
 */
public final class S3Store implements AutoCloseable {
    public static final String ACCESS_KEY = "semaforo-test";
    public static final String SECRET_KEY = "semaforo-test-secret-key";
    public static final String BUCKET = "stato-comune";

    private final Path dir = Scratch.tempDir("semaforo-s3");
    private final int port = Scratch.freePort();
    private S3Proxy proxy;
    private final S3Client client;

    private S3Store() {
        client = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(endpoint()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).chunkedEncodingEnabled(false).build())
                .build();
    }

    /** Starts a server with an empty bucket. */
    public static S3Store start() {
        S3Store s = new S3Store();
        s.startAgain();
        s.client.createBucket(b -> b.bucket(BUCKET));
        return s;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** What Semaforo's configuration says to mirror into this bucket. */
    public Map<String, String> settings() {
        return Map.of("mirror.s3.endpoint", endpoint(), "mirror.s3.bucket", BUCKET, "mirror.s3.region", "us-east-1",
                "mirror.s3.access.key", ACCESS_KEY, "mirror.s3.secret.key", SECRET_KEY, "mirror.s3.path.style", "true");
    }

    /** The same settings as environment variables, for a server in its own JVM. */
    public Map<String, String> environment() {
        return settings().entrySet().stream().collect(Collectors.toMap(
                e -> "SEMAFORO_" + e.getKey().toUpperCase(java.util.Locale.ROOT).replace('.', '_'), Map.Entry::getValue));
    }

    /** Starts (again) on the same port and the same files. */
    public synchronized void startAgain() {
        if (proxy != null) throw new IllegalStateException("already running");
        Properties p = new Properties();
        p.setProperty("jclouds.filesystem.basedir", dir.toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem-nio2").credentials("identity", "credential")
                .overrides(p).build(BlobStoreContext.class);
        S3Proxy s = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create(endpoint()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        try {
            s.start();
            for (int i = 0; i < 200 && !"STARTED".equals(s.getState()); i++) Thread.sleep(25);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        proxy = s;
    }

    /** Stops answering: connections are refused until startAgain. */
    public synchronized void stop() {
        if (proxy == null) return;
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        proxy = null;
    }

    public S3Client client() {
        return client;
    }

    public Set<String> keys() {
        return client.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream().map(S3Object::key)
                .collect(Collectors.toSet());
    }

    /** An object with its headers, or empty. */
    public Optional<ResponseBytes<GetObjectResponse>> get(String key) {
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** An object's body as a reader gets it: decoded when stored gzipped. */
    public static byte[] decoded(ResponseBytes<GetObjectResponse> o) {
        if (!"gzip".equals(o.response().contentEncoding())) return o.asByteArray();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(o.asByteArray()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
        client.close();
        Scratch.delete(dir);
    }
}
