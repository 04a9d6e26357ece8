import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the DKIM-Signature of one mail as a receiver would (RFC 6376: rsa-sha256, relaxed
 * header and simple body canonicalisation), with the JDK alone: bench/jar-check.sh runs it on a
 * mail the packaged server sent, so that what the jar holds is shown to sign.
 *   java bench/DkimVerify.java MAIL_FILE PUBLIC_KEY_DER DOMAIN SELECTOR
 * Prints "dkim: pass (d=…, s=…, h=…)" and exits 0, or says what failed and exits 1.
 */
public class DkimVerify {
    public static void main(String[] args) throws Exception {
        String raw = new String(Files.readAllBytes(Path.of(args[0])), StandardCharsets.ISO_8859_1);
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Files.readAllBytes(Path.of(args[1]))));
        int split = raw.indexOf("\r\n\r\n");
        if (split < 0) fail("no header/body separator (CRLF CRLF)");
        List<String> fields = fields(raw.substring(0, split + 2));
        String body = raw.substring(split + 4);
        String signature = fields.stream().filter(f -> f.toLowerCase(Locale.ROOT).startsWith("dkim-signature:")).findFirst().orElse(null);
        if (signature == null) fail("no DKIM-Signature header");
        Map<String, String> tags = tags(signature.substring(signature.indexOf(':') + 1));
        expect(tags, "v", "1");
        expect(tags, "a", "rsa-sha256");
        expect(tags, "c", "relaxed/simple");
        expect(tags, "d", args[2]);
        expect(tags, "s", args[3]);
        String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest((body.replaceAll("(\r\n)+$", "") + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        if (!bh.equals(tags.get("bh"))) fail("body hash " + tags.get("bh") + " but the body hashes to " + bh);
        List<String> signed = List.of(tags.get("h").toLowerCase(Locale.ROOT).split(":"));
        for (String h : List.of("from", "to", "subject", "date", "message-id")) if (!signed.contains(h)) fail(h + " not signed: " + signed);
        StringBuilder data = new StringBuilder();
        List<String> pool = new ArrayList<>(fields);
        for (String name : signed) {   // the bottom-most instance of each name first
            for (int i = pool.size() - 1; i >= 0; i--) {
                String f = pool.get(i);
                if (f.substring(0, f.indexOf(':')).strip().equalsIgnoreCase(name)) {
                    data.append(relaxed(f)).append("\r\n");
                    pool.remove(i);
                    break;
                }
            }
        }
        data.append(relaxed(withoutB(signature)));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(key);
        rsa.update(data.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!rsa.verify(Base64.getDecoder().decode(tags.get("b")))) fail("the signature does not verify with the public key");
        System.out.println("dkim: pass (d=" + tags.get("d") + ", s=" + tags.get("s") + ", h=" + tags.get("h") + ")");
    }

    static void expect(Map<String, String> tags, String tag, String value) {
        if (!value.equals(tags.get(tag))) fail(tag + "=" + tags.get(tag) + ", expected " + value);
    }

    static void fail(String why) {
        System.out.println("dkim: FAIL: " + why);
        System.exit(1);
    }

    static List<String> fields(String headers) {
        List<String> fields = new ArrayList<>();
        for (String line : headers.split("\r\n")) {
            if (line.isEmpty()) continue;
            if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
                fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
            } else {
                fields.add(line);
            }
        }
        return fields;
    }

    static String relaxed(String field) {
        int colon = field.indexOf(':');
        return field.substring(0, colon).strip().toLowerCase(Locale.ROOT) + ":"
                + field.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").strip();
    }

    static Map<String, String> tags(String value) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (String part : value.split(";")) {
            int eq = part.indexOf('=');
            if (eq >= 0) tags.put(part.substring(0, eq).strip(), part.substring(eq + 1).replaceAll("\\s+", ""));
        }
        return tags;
    }

    static String withoutB(String field) {
        int colon = field.indexOf(':');
        String[] parts = field.substring(colon + 1).split(";", -1);
        for (int i = 0; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq >= 0 && parts[i].substring(0, eq).strip().equals("b")) parts[i] = parts[i].substring(0, eq + 1);
        }
        return field.substring(0, colon + 1) + String.join(";", parts);
    }
}
