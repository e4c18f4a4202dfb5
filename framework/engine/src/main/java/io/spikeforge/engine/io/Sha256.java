package io.spikeforge.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 checksums of files, as lower-case hex: how Spikeforge recognizes the files it wrote. */
public final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER_BYTES = 1 << 16;

    private Sha256() {
    }

    /** A new SHA-256 digest. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The checksum of a file's bytes, read in chunks (the file may be larger than the heap). */
    public static String of(Path file) throws IOException {
        MessageDigest digest = digest();
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return hex(digest);
    }

    /** The checksum of bytes. */
    public static String of(byte[] bytes) {
        return hex(digest().digest(bytes));
    }

    /** The digest's checksum (which resets it). */
    public static String hex(MessageDigest digest) {
        return hex(digest.digest());
    }

    /** Whether a text is a checksum as this class writes them. */
    public static boolean isChecksum(String text) {
        return HEX.matcher(text).matches();
    }

    private static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
