package io.termsledger.kit.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * A TCP forwarder between a service under test and the real PostgreSQL, so that a test can take the
 * database away and give it back: {@link #cut} closes every open connection and stops listening (a
 * new connection is refused), {@link #restore} listens again on the same port, which is chosen below the
 * kernel's ephemeral port range so that no outgoing connection can take it meanwhile.
 *
 * <p>A test profile starts it (its configuration needs the port before the application starts) and
 * the test controls it, and the two may see this class through different class loaders. So the
 * proxy is registered by name with the JVM's platform MBean server, which every class loader
 * shares, and is controlled through it.
 */
public final class DatabaseProxy {

    /** What the MBean server exposes. */
    public interface ControlMBean {
        int getPort();

        void cut();

        void restore();
    }

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile int port;

    private DatabaseProxy(InetSocketAddress target) {
        this.target = target;
    }

    /**
     * Starts the proxy called {@code name} towards the tests' PostgreSQL ({@code LEDGER_DB_HOST} and
     * {@code LEDGER_DB_PORT}, as {@code deploy/local/test} sets them; 127.0.0.1:5432 without) and returns
     * the JDBC URL of {@code database} through it.
     */
    public static String startToTestDatabase(String name, String database) {
        String host = System.getenv().getOrDefault("LEDGER_DB_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("LEDGER_DB_PORT", "5432"));
        return "jdbc:postgresql://127.0.0.1:" + start(name, host, port) + "/" + database;
    }

    /**
     * Starts the proxy called {@code name} towards {@code host:port} and returns the local port it
     * listens on; if it is already running (another class loader started it), returns its port.
     */
    public static synchronized int start(String name, String host, int port) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName id = id(name);
        try {
            if (mbeans.isRegistered(id)) {
                return (Integer) mbeans.getAttribute(id, "Port");
            }
            DatabaseProxy proxy = new DatabaseProxy(new InetSocketAddress(host, port));
            proxy.port = proxy.listenBelowEphemeralPorts();
            ControlMBean control = new ControlMBean() {
                @Override
                public int getPort() {
                    return proxy.port;
                }

                @Override
                public void cut() {
                    proxy.cut();
                }

                @Override
                public void restore() {
                    proxy.restore();
                }
            };
            mbeans.registerMBean(new StandardMBean(control, ControlMBean.class), id);
            return proxy.port;
        } catch (JMException e) {
            throw new IllegalStateException("the database proxy " + name + " could not be registered", e);
        }
    }

    /** Closes every connection through the proxy called {@code name} and refuses new ones until {@link #restore}. */
    public static void cut(String name) {
        invoke(name, "cut");
    }

    /** Accepts connections again, on the same port. */
    public static void restore(String name) {
        invoke(name, "restore");
    }

    private static void invoke(String name, String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(id(name), operation, null, null);
        } catch (JMException e) {
            throw new IllegalStateException("no database proxy called " + name + " answered " + operation, e);
        }
    }

    private static ObjectName id(String name) {
        try {
            return new ObjectName("io.termsledger.test:type=DatabaseProxy,name=" + ObjectName.quote(name));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private synchronized void restore() {
        if (server == null || server.isClosed()) {
            listen(port);
        }
    }

    /**
     * Listens on a free port below the kernel's ephemeral range. {@link #restore} binds the same port again
     * after a {@link #cut}; a port from the ephemeral range (bind to 0) could meanwhile have become the local
     * port of some outgoing connection, and binding it again failed with "Address already in use".
     */
    private int listenBelowEphemeralPorts() {
        int low = ephemeralLow();
        Random random = new Random();
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = low - 1 - random.nextInt(Math.min(10_000, low - 1025));
            try {
                return listen(candidate);
            } catch (IllegalStateException taken) {
                // in use: another
            }
        }
        return listen(0);
    }

    /** The first port of {@code /proc/sys/net/ipv4/ip_local_port_range}; 32768 where it cannot be read. */
    private static int ephemeralLow() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
            int low = Integer.parseInt(range.trim().split("\\s+")[0]);
            return low > 2048 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }

    private synchronized int listen(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread accept = new Thread(() -> accept(s), "database-proxy-accept");
            accept.setDaemon(true);
            accept.start();
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("the database proxy could not listen on port " + port, e);
        }
    }

    private synchronized void cut() {
        closeQuietly(server);
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return; // closed by cut()
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side or cut() closed the connection
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "database-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
