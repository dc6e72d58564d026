package com.runwayrelay.runway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers the first request on each connection with {@code 200} and a fixed JSON body, keeping the
 * connection alive (no {@code Connection: close}); reads the second request on that connection
 * completely, then closes it without an answer (TCP FIN). To a client that pooled the connection,
 * this is exactly what a server's idle-connection reaper closing it at the moment of reuse looks
 * like: "header parser received no bytes" on a reused connection. Here the server did read the
 * request, which is the point: the client cannot tell the two apart.
 */
final class KeptAliveThenClosedServer implements AutoCloseable {

    private final ServerSocket socket;
    private final String firstAnswer;
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    KeptAliveThenClosedServer(String firstAnswer) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.firstAnswer = firstAnswer;
        this.acceptor = Thread.ofVirtual().start(this::acceptLoop);
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** The request line of every request read completely, in arrival order. */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException closed) {
                // close() ends the loop
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            InputStream in = connection.getInputStream();
            requestLines.add(readRequest(in));
            byte[] body = firstAnswer.getBytes(StandardCharsets.UTF_8);
            OutputStream out = connection.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            requestLines.add(readRequest(in));
            // try-with-resources closes the connection: FIN, no answer, nothing left unread
        } catch (IOException clientWentAway) {
            // the client closed its end first: nothing to record
        }
    }

    /** Reads one request (head and Content-Length body) and returns its request line. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed the connection");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        for (String line : lines) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
            }
        }
        return lines[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
        acceptor.interrupt();
    }
}
