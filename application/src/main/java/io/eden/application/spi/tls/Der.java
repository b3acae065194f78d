package io.eden.application.spi.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Just enough DER to wrap the traditional OpenSSL key formats (PKCS#1, SEC1) into the PKCS#8
 * the JDK's key factories read, without a library for it.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} of SEC1's ECPrivateKey: the curve. */
    static final int CONTEXT_0 = 0xa0;

    /** One element inside {@code bytes}: its tag, and where its content and the whole element lie. */
    record Element(byte[] bytes, int tag, int start, int contentStart, int end) {
        byte[] encoded() {
            return Arrays.copyOfRange(bytes, start, end);
        }
    }

    private Der() {
    }

    static Element read(byte[] bytes, int at, int limit) {
        if (at + 2 > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        int tag = bytes[at] & 0xff;
        int first = bytes[at + 1] & 0xff;
        int contentStart = at + 2;
        long length = first;
        if (first > 0x80) {
            int octets = first & 0x7f;
            if (octets > 4 || contentStart + octets > limit) {
                throw new IllegalArgumentException("bad DER length");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (bytes[contentStart + i] & 0xff);
            }
            contentStart += octets;
        } else if (first == 0x80) {
            throw new IllegalArgumentException("indefinite length is not DER");
        }
        if (contentStart + length > limit) {
            throw new IllegalArgumentException("truncated DER");
        }
        return new Element(bytes, tag, at, contentStart, (int) (contentStart + length));
    }

    /** The element of {@code tag} directly inside {@code parent}, or null. */
    static Element child(Element parent, int tag) {
        for (int at = parent.contentStart(); at < parent.end(); ) {
            Element element = read(parent.bytes(), at, parent.end());
            if (element.tag() == tag) {
                return element;
            }
            at = element.end();
        }
        return null;
    }

    static byte[] encode(int tag, byte[]... contents) {
        int length = 0;
        for (byte[] content : contents) {
            length += content.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int octets = length < 0x100 ? 1 : length < 0x10000 ? 2 : length < 0x1000000 ? 3 : 4;
            out.write(0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        for (byte[] content : contents) {
            out.writeBytes(content);
        }
        return out.toByteArray();
    }
}
