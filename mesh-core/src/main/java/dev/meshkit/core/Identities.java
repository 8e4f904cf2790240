package dev.meshkit.core;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.meshkit.api.ErrorCode;
import dev.meshkit.api.MeshException;
import dev.meshkit.api.NodeId;
import dev.meshkit.api.spi.IdentityScheme;
import dev.meshkit.api.spi.KeyMaterial;
import dev.meshkit.core.identity.Ed25519Scheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node identities for applications and tools: finding a signature scheme, generating key pairs, and
 * keeping them in key files.
 *
 * <p>Schemes are found with {@link ServiceLoader} as {@link IdentityScheme} providers; the built-in
 * {@code ed25519} is always available, even where service files were lost (for example in a repackaged
 * jar).
 *
 * <p>A key file is a small UTF-8 JSON object:
 *
 * <pre>{@code
 * {
 *   "format": "meshkit-key-v1",
 *   "scheme": "ed25519",
 *   "public": "<standard base64 of the encoded public key>",
 *   "private": "<standard base64 of the encoded private key>",
 *   "id": "<64 hex digits: SHA-256 of the public key>"
 * }
 * }</pre>
 *
 * <p>With a passphrase ({@link #save(KeyMaterial, Path, boolean, char[])}), {@code "private"} is
 * replaced by {@code "encrypted"}: the private key sealed with AES-256-GCM under a key that Argon2id
 * (RFC 9106; 64 MiB, 3 passes, 1 lane) derives from the passphrase and a random salt, with the
 * scheme and public key as associated data:
 *
 * <pre>{@code
 *   "encrypted": {"kdf": "argon2id", "memory-kib": 65536, "iterations": 3, "parallelism": 1,
 *                 "salt": "<base64>", "cipher": "aes-256-gcm", "nonce": "<base64>", "private": "<base64>"}
 * }</pre>
 *
 * <p>The {@code id} is redundant on purpose: it lets a reader check the file was not damaged or
 * hand-edited into a mismatched pair, and lets an operator see which node a file belongs to. Files are
 * written atomically with owner-only permissions where the file system has POSIX permissions, and never
 * replace an existing file unless asked to.
 *
 * <p>Every failure to read, write or use key material is a {@link MeshException} with
 * {@link ErrorCode#IDENTITY}; a scheme that is not installed is {@link ErrorCode#MISSING_PROVIDER}.
 * All methods are thread-safe; the class keeps no state between calls.
 */
public final class Identities {
    /** The value of {@code "format"} in key files this version writes and reads. */
    public static final String KEY_FILE_FORMAT = "meshkit-key-v1";

    // A key file is a few hundred bytes; a bigger one is not a key file, and reading it whole would be a
    // way to make a node allocate at will.
    private static final int MAX_KEY_FILE_BYTES = 64 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Logger LOG = LoggerFactory.getLogger(Identities.class);

    private Identities() {
    }

    /**
     * The installed scheme called {@code name} (compared ignoring case), or with {@code null} the one
     * with the highest {@link IdentityScheme#priority()}, ties going to the alphabetically first name.
     *
     * @param name a scheme name such as {@code ed25519}, or {@code null} for the default
     * @return the scheme
     * @throws MeshException {@link ErrorCode#MISSING_PROVIDER} if no installed scheme has that name
     */
    public static IdentityScheme scheme(String name) {
        List<IdentityScheme> schemes = installedSchemes();
        Comparator<IdentityScheme> preference = Comparator.comparingInt(IdentityScheme::priority).reversed()
                .thenComparing(IdentityScheme::name);
        return schemes.stream()
                .filter(s -> name == null || s.name().equalsIgnoreCase(name))
                .min(preference)
                .orElseThrow(() -> new MeshException(ErrorCode.MISSING_PROVIDER,
                        "no identity scheme named '" + name + "' is installed (available: "
                                + schemes.stream().map(IdentityScheme::name).sorted().collect(Collectors.joining(", "))
                                + ")"));
    }

    /**
     * A fresh key pair of the scheme called {@code schemeName}, or of the default scheme when it is
     * {@code null}, from a new {@link SecureRandom}.
     *
     * @param schemeName a scheme name such as {@code ed25519}, or {@code null} for the default
     * @return the new key pair; keep its private key secret
     * @throws MeshException {@link ErrorCode#MISSING_PROVIDER} if no installed scheme has that name
     */
    public static KeyMaterial generate(String schemeName) {
        return scheme(schemeName).generate(new SecureRandom());
    }

    /**
     * Writes {@code keys} to a new key file; same as {@code save(keys, file, false)}.
     *
     * @param keys the key pair to store
     * @param file where to store it; must not exist yet
     * @throws MeshException {@link ErrorCode#IDENTITY} if the file exists or cannot be written
     */
    public static void save(KeyMaterial keys, Path file) {
        save(keys, file, false);
    }

    /**
     * Writes {@code keys} to {@code file}, creating missing parent directories.
     *
     * <p>The content goes to a temporary file in the same directory, is flushed to disk, and only then
     * takes the final name, so a crash never leaves a truncated key file behind. On file systems with
     * POSIX permissions the file is {@code rw-------} from the moment it exists.
     *
     * @param keys      the key pair to store
     * @param file      where to store it
     * @param overwrite whether an existing file may be replaced; when {@code false} the check is atomic
     *                  where the file system supports hard links, so two processes racing to create
     *                  the same key file cannot both win
     * @throws MeshException {@link ErrorCode#IDENTITY} if the file exists and {@code overwrite} is false,
     *                       if the key material is incomplete, or if writing fails
     */
    public static void save(KeyMaterial keys, Path file, boolean overwrite) {
        save(keys, file, overwrite, null);
    }

    /**
     * Writes {@code keys} as {@link #save(KeyMaterial, Path, boolean)} does, with the private key
     * encrypted under {@code passphrase} (see the class description) unless it is {@code null}. The
     * caller should wipe the passphrase afterwards.
     *
     * @throws MeshException {@link ErrorCode#IDENTITY} as for {@link #save(KeyMaterial, Path, boolean)}
     */
    public static void save(KeyMaterial keys, Path file, boolean overwrite, char[] passphrase) {
        if (!write(keys, file, overwrite, passphrase)) {
            throw new MeshException(ErrorCode.IDENTITY,
                    "key file already exists, not overwriting it: " + file.toAbsolutePath());
        }
    }

    /**
     * Reads a key file written by {@link #save}.
     *
     * <p>Checks the format, that {@code id} is the SHA-256 of the public key, and, when the file's
     * scheme is installed, that the private key belongs to the public key. Members this version does
     * not know are ignored. Logs a warning if other users may read the file.
     *
     * @param file the key file
     * @return the key pair it holds
     * @throws MeshException {@link ErrorCode#IDENTITY} if the file is missing, unreadable, corrupt, of
     *                       another format, or holds a mismatched key pair
     */
    public static KeyMaterial load(Path file) {
        return load(file, null);
    }

    /**
     * Reads a key file as {@link #load(Path)} does, decrypting its private key with
     * {@code passphrase} if the file is encrypted.
     *
     * @throws MeshException {@link ErrorCode#IDENTITY} as for {@link #load(Path)}, and if the file is
     *                       encrypted and the passphrase is {@code null}, wrong, or the file was altered
     */
    public static KeyMaterial load(Path file, char[] passphrase) {
        Objects.requireNonNull(file, "file");
        KeyMaterial keys = parse(read(file), file, passphrase);
        warnIfExposed(file);
        return keys;
    }

    /**
     * The keys in {@code file}, or if there is no such file, fresh keys of {@code schemeName} (the
     * default scheme when {@code null}) that are saved there first. If another process creates the file
     * at the same moment, its keys are loaded and returned instead, so both end up with one identity.
     *
     * @param file       the key file, created if missing
     * @param schemeName the scheme for new keys and the one an existing file must hold, or {@code null}
     *                   for the default scheme and any existing file
     * @return the node's key pair
     * @throws MeshException {@link ErrorCode#IDENTITY} if the file cannot be read or written, or holds
     *                       keys of another scheme than {@code schemeName}; {@link ErrorCode#MISSING_PROVIDER}
     *                       if a new key is needed and the scheme is not installed
     */
    public static KeyMaterial loadOrCreate(Path file, String schemeName) {
        return loadOrCreate(file, schemeName, null);
    }

    /**
     * {@link #loadOrCreate(Path, String)} for a key file encrypted under {@code passphrase} (a new one
     * is written encrypted), or a plain one when it is {@code null}.
     *
     * @throws MeshException as for {@link #loadOrCreate(Path, String)}, and as for
     *                       {@link #load(Path, char[])} when the file is encrypted
     */
    public static KeyMaterial loadOrCreate(Path file, String schemeName, char[] passphrase) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            KeyMaterial fresh = generate(schemeName);
            if (write(fresh, file, false, passphrase)) {
                return fresh;
            }
            // Lost a race with another creator: fall through and use its keys.
        }
        KeyMaterial keys = load(file, passphrase);
        if (schemeName != null && !schemeName.equalsIgnoreCase(keys.scheme())) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath() + " holds an "
                    + keys.scheme() + " key, not " + schemeName);
        }
        return keys;
    }

    // ---- schemes

    private static List<IdentityScheme> installedSchemes() {
        List<IdentityScheme> found = new ArrayList<>();
        Iterator<IdentityScheme> it = ServiceLoader.load(IdentityScheme.class).iterator();
        // One broken plugin must not hide the others; the bound stops a loader that keeps failing.
        for (int failures = 0; failures < 16; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                failures++;
                LOG.warn("skipping an identity scheme that failed to load: {}", e.getMessage());
            }
        }
        if (found.stream().noneMatch(s -> s instanceof Ed25519Scheme)) {
            found.add(new Ed25519Scheme());
        }
        return found;
    }

    private static IdentityScheme installedScheme(String name) {
        for (IdentityScheme s : installedSchemes()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }

    // ---- writing

    /** Writes the key file; false if it exists and must not be overwritten. */
    private static boolean write(KeyMaterial keys, Path file, boolean overwrite, char[] passphrase) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(file, "file");
        byte[] content = format(keys, passphrase);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            boolean posix = target.getFileSystem().supportedFileAttributeViews().contains("posix");
            tmp = posix
                    ? Files.createTempFile(dir, ".meshkit-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(dir, ".meshkit-key-", ".tmp");
            if (posix) {
                // The creation mode passes through the umask; state the exact mode we promise.
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (overwrite) {
                moveReplacing(tmp, target);
                return true;
            }
            return linkIfAbsent(tmp, target);
        } catch (IOException | UnsupportedOperationException e) {
            throw new MeshException(ErrorCode.IDENTITY, "cannot write key file " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary key file {}: {}", tmp, e.toString());
                }
            }
        }
    }

    private static void moveReplacing(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            // Some platforms cannot rename atomically over an existing file; a plain replace still
            // never exposes a half-written file, since tmp is complete.
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Gives the complete temporary file its final name unless that name is taken. A hard link is
     * created or refused in one step; a rename would silently replace a file created in between.
     */
    private static boolean linkIfAbsent(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            // No hard links on this file system (FAT, some network or FUSE mounts): a move that refuses
            // an existing target is the next best, with a narrow check-then-rename window.
            try {
                Files.move(tmp, target);
                return true;
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
        }
    }

    private static byte[] format(KeyMaterial keys, char[] passphrase) {
        if (keys.scheme() == null || keys.scheme().isBlank() || keys.publicKey() == null
                || keys.publicKey().length == 0 || keys.privateKey() == null || keys.privateKey().length == 0) {
            throw new MeshException(ErrorCode.IDENTITY, "key material is incomplete: " + keys.scheme());
        }
        Base64.Encoder base64 = Base64.getEncoder();
        StringWriter text = new StringWriter(256);
        try (JsonWriter out = new JsonWriter(text)) {
            out.setIndent("  ");
            out.setHtmlSafe(false);
            out.beginObject();
            out.name("format").value(KEY_FILE_FORMAT);
            out.name("scheme").value(keys.scheme());
            out.name("public").value(base64.encodeToString(keys.publicKey()));
            if (passphrase == null) {
                out.name("private").value(base64.encodeToString(keys.privateKey()));
            } else {
                PassphraseSeal sealed = PassphraseSeal.seal(keys.privateKey(), passphrase,
                        sealContext(keys.scheme(), keys.publicKey()));
                out.name("encrypted").beginObject();
                out.name("kdf").value("argon2id");
                out.name("memory-kib").value(sealed.memoryKib());
                out.name("iterations").value(sealed.iterations());
                out.name("parallelism").value(sealed.parallelism());
                out.name("salt").value(base64.encodeToString(sealed.salt()));
                out.name("cipher").value("aes-256-gcm");
                out.name("nonce").value(base64.encodeToString(sealed.nonce()));
                out.name("private").value(base64.encodeToString(sealed.ciphertext()));
                out.endObject();
            }
            out.name("id").value(keys.nodeId().hex());
            out.endObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a StringWriter failed", e);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    // ---- reading

    private static byte[] read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
            if (bytes.length > MAX_KEY_FILE_BYTES) {
                throw corrupt(file, "larger than " + MAX_KEY_FILE_BYTES + " bytes");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new MeshException(ErrorCode.IDENTITY, "no key file at " + file.toAbsolutePath(), e);
        } catch (AccessDeniedException e) {
            throw new MeshException(ErrorCode.IDENTITY, "no permission to read key file " + file.toAbsolutePath(), e);
        } catch (IOException e) {
            throw new MeshException(ErrorCode.IDENTITY, "cannot read key file " + file.toAbsolutePath() + ": " + e, e);
        }
    }

    private static KeyMaterial parse(byte[] bytes, Path file, char[] passphrase) {
        PassphraseSeal sealed = null;
        String format = null;
        String scheme = null;
        String publicText = null;
        String privateText = null;
        String idText = null;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            JsonReader in = new JsonReader(new StringReader(text));
            in.setStrictness(Strictness.STRICT);
            in.setNestingLimit(16);
            in.beginObject();
            while (in.hasNext()) {
                String name = in.nextName();
                switch (name) {
                    case "format":
                        format = once(format, stringValue(in, name), name, file);
                        break;
                    case "scheme":
                        scheme = once(scheme, stringValue(in, name), name, file);
                        break;
                    case "public":
                        publicText = once(publicText, stringValue(in, name), name, file);
                        break;
                    case "private":
                        privateText = once(privateText, stringValue(in, name), name, file);
                        break;
                    case "id":
                        idText = once(idText, stringValue(in, name), name, file);
                        break;
                    case "encrypted":
                        if (sealed != null) {
                            throw corrupt(file, "\"encrypted\" appears twice");
                        }
                        sealed = readSealed(in, file);
                        break;
                    default:
                        // Later format revisions may add members; they must not make old readers fail.
                        in.skipValue();
                }
            }
            in.endObject();
            if (in.peek() != JsonToken.END_DOCUMENT) {
                throw corrupt(file, "trailing data");
            }
        } catch (CharacterCodingException e) {
            throw corrupt(file, "not UTF-8");
        } catch (IOException | IllegalStateException | IllegalArgumentException e) {
            throw corrupt(file, "not a JSON key object (" + firstLine(e.getMessage()) + ")");
        }
        if (format == null) {
            throw corrupt(file, "no \"format\" member; not a MeshKit key file");
        }
        if (!KEY_FILE_FORMAT.equals(format)) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath()
                    + " has unsupported format '" + format + "' (expected " + KEY_FILE_FORMAT + ")");
        }
        if (scheme == null || scheme.isBlank()) {
            throw corrupt(file, "no scheme");
        }
        byte[] publicKey = base64(publicText, "public", file);
        byte[] privateKey;
        if (sealed == null) {
            privateKey = base64(privateText, "private", file);
        } else if (privateText != null) {
            throw corrupt(file, "both \"private\" and \"encrypted\"");
        } else if (passphrase == null) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath()
                    + " is encrypted: its passphrase is needed");
        } else {
            privateKey = sealed.open(passphrase, sealContext(scheme, publicKey));
            if (privateKey == null) {
                throw new MeshException(ErrorCode.IDENTITY, "wrong passphrase for key file " + file.toAbsolutePath()
                        + " (or the file was altered)");
            }
        }
        if (idText == null) {
            throw corrupt(file, "no id");
        }
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            throw corrupt(file, "id is not 64 hex digits");
        }
        NodeId derived = NodeId.ofPublicKey(publicKey);
        if (!id.equals(derived)) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath() + " is inconsistent: id "
                    + id.shortForm() + "... is not the SHA-256 of its public key (" + derived.shortForm() + "...)");
        }
        KeyMaterial keys = new KeyMaterial(scheme, publicKey, privateKey);
        IdentityScheme installed = installedScheme(scheme);
        if (installed == null) {
            // The node will report the missing scheme when it starts; loading alone can still succeed.
            LOG.debug("identity scheme {} of key file {} is not installed; key pair not checked", scheme, file);
            return keys;
        }
        try {
            installed.signer(keys);
        } catch (IllegalArgumentException e) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath()
                    + " holds an unusable key pair: " + e.getMessage(), e);
        }
        return new KeyMaterial(installed.name(), publicKey, privateKey);
    }

    /** What an encrypted private key is bound to: its scheme and public key. */
    private static byte[] sealContext(String scheme, byte[] publicKey) {
        byte[] head = (KEY_FILE_FORMAT + "\n" + scheme + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = java.util.Arrays.copyOf(head, head.length + publicKey.length);
        System.arraycopy(publicKey, 0, out, head.length, publicKey.length);
        return out;
    }

    private static PassphraseSeal readSealed(JsonReader in, Path file) throws IOException {
        String kdf = null;
        String cipher = null;
        long memory = -1;
        long iterations = -1;
        long parallelism = -1;
        String salt = null;
        String nonce = null;
        String ciphertext = null;
        in.beginObject();
        while (in.hasNext()) {
            String name = in.nextName();
            switch (name) {
                case "kdf":
                    kdf = once(kdf, stringValue(in, name), name, file);
                    break;
                case "cipher":
                    cipher = once(cipher, stringValue(in, name), name, file);
                    break;
                case "memory-kib":
                    memory = in.nextLong();
                    break;
                case "iterations":
                    iterations = in.nextLong();
                    break;
                case "parallelism":
                    parallelism = in.nextLong();
                    break;
                case "salt":
                    salt = once(salt, stringValue(in, name), name, file);
                    break;
                case "nonce":
                    nonce = once(nonce, stringValue(in, name), name, file);
                    break;
                case "private":
                    ciphertext = once(ciphertext, stringValue(in, name), name, file);
                    break;
                default:
                    in.skipValue();
            }
        }
        in.endObject();
        if (!"argon2id".equals(kdf) || !"aes-256-gcm".equals(cipher)) {
            throw new MeshException(ErrorCode.IDENTITY, "key file " + file.toAbsolutePath() + " is encrypted with "
                    + kdf + " and " + cipher + "; this version reads argon2id and aes-256-gcm");
        }
        if (memory < 0 || memory > Integer.MAX_VALUE || iterations < 0 || iterations > Integer.MAX_VALUE
                || parallelism < 0 || parallelism > Integer.MAX_VALUE) {
            throw corrupt(file, "missing or impossible Argon2 settings");
        }
        PassphraseSeal sealed = new PassphraseSeal((int) memory, (int) iterations, (int) parallelism,
                base64(salt, "salt", file), base64(nonce, "nonce", file), base64(ciphertext, "encrypted private", file));
        if (!sealed.plausible()) {
            throw corrupt(file, "Argon2 settings or sizes out of range");
        }
        return sealed;
    }

    private static String stringValue(JsonReader in, String name) throws IOException {
        if (in.peek() != JsonToken.STRING) {
            throw new IllegalStateException("\"" + name + "\" must be a string");
        }
        return in.nextString();
    }

    private static String once(String previous, String value, String name, Path file) {
        if (previous != null) {
            throw corrupt(file, "\"" + name + "\" appears twice");
        }
        return value;
    }

    private static byte[] base64(String text, String name, Path file) {
        if (text == null) {
            throw corrupt(file, "no " + name + " key");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            if (bytes.length == 0) {
                throw corrupt(file, name + " key is empty");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw corrupt(file, name + " key is not valid base64");
        }
    }

    private static MeshException corrupt(Path file, String why) {
        return new MeshException(ErrorCode.IDENTITY, "corrupt key file " + file.toAbsolutePath() + ": " + why);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static void warnIfExposed(Path file) {
        try {
            if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                return;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                LOG.warn("key file {} is accessible to other users ({}); it should be rw-------",
                        file.toAbsolutePath(), PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot check permissions of key file {}: {}", file, e.toString());
        }
    }
}
