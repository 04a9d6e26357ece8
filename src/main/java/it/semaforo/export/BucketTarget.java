package it.semaforo.export;

import it.semaforo.render.Gzip;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.net.URI;
import java.time.Duration;

/**
 * The copy as objects in an S3-compatible bucket (a second provider's static hosting, behind a
 * CDN): one object per file, under the same names as the directory copy, each with the
 * Content-Type, Cache-Control and Content-Language the server answers with, and text bodies
 * stored gzipped with Content-Encoding: gzip when that saves at least a tenth (a bucket cannot
 * choose per request; every browser and feed reader accepts gzip). A PUT replaces an object
 * whole: a reader never sees half of one.
 */
public final class BucketTarget implements MirrorTarget {
    /** Smaller bodies gain too little from gzip to be worth it. */
    private static final int GZIP_FROM = 1024;

    /** endpoint: null for AWS itself; pathStyle: bucket in the path, as most S3-compatible servers want. */
    public record Settings(URI endpoint, String bucket, String region, String accessKey, String secretKey, boolean pathStyle) {
        @Override
        public String toString() {   // never the secret in a log line
            return "s3 bucket " + bucket + (endpoint == null ? "" : " at " + endpoint);
        }
    }

    private final S3Client s3;
    private final String bucket;

    public BucketTarget(Settings s) {
        this.bucket = s.bucket();
        var builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(30)).build())
                .region(Region.of(s.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                // S3-compatible servers refuse the newer default checksums and aws-chunked bodies, or store
                // Content-Encoding as "gzip,aws-chunked": plain bodies with a Content-Length instead
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle())
                        .chunkedEncodingEnabled(false).build());
        if (s.endpoint() != null) builder.endpointOverride(s.endpoint());
        this.s3 = builder.build();
    }

    @Override
    public String name() {
        return "s3";
    }

    @Override
    public void put(MirrorFile f) {
        byte[] body = f.body();
        String encoding = null;
        if (compressible(f.contentType()) && body.length >= GZIP_FROM) {
            byte[] gz = Gzip.compress(body);
            if (gz.length <= body.length * 9L / 10) {
                body = gz;
                encoding = "gzip";
            }
        }
        PutObjectRequest.Builder put = PutObjectRequest.builder().bucket(bucket).key(f.file())
                .contentType(f.contentType()).cacheControl(f.cacheControl()).contentLength((long) body.length);
        if (f.language() != null) put.contentLanguage(f.language());
        if (encoding != null) put.contentEncoding(encoding);
        s3.putObject(put.build(), RequestBody.fromBytes(body));
    }

    @Override
    public void delete(String file) {
        s3.deleteObject(b -> b.bucket(bucket).key(file));   // S3 answers 204 for a key already gone
    }

    static boolean compressible(String contentType) {
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml") || t.contains("javascript") || t.contains("svg");
    }

    @Override
    public void close() {
        s3.close();
    }
}
