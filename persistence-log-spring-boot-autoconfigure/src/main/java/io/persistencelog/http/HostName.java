package io.persistencelog.http;

import java.net.InetAddress;

/** The name network backends report for this machine when none is configured. */
public final class HostName {

    private HostName() {
    }

    /**
     * {@code HOSTNAME} (set in containers and most shells), then {@code COMPUTERNAME} (Windows), then the
     * resolver's answer; {@code unknown} when even that fails (a host without a resolvable name must still log).
     */
    public static String ofThisMachine() {
        for (String variable : new String[] { "HOSTNAME", "COMPUTERNAME" }) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (Exception | Error ex) {
            return "unknown";
        }
    }
}
