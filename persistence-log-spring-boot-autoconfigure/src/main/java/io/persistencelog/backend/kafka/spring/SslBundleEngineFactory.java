package io.persistencelog.backend.kafka.spring;

import java.security.KeyStore;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.apache.kafka.common.security.auth.SslEngineFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Lets the log producer use a Spring Boot SSL bundle ({@code spring.kafka.ssl.bundle}): Kafka creates this
 * factory from {@code ssl.engine.factory.class} and hands it the producer's settings, in which the resolved
 * bundle travels under {@link #BUNDLE_CONFIG}. Only loaded when kafka-clients is present.
 */
public final class SslBundleEngineFactory implements SslEngineFactory {

    /** Producer setting carrying the resolved {@link SslBundle}. */
    public static final String BUNDLE_CONFIG = "persistence-log.ssl.bundle";

    private @Nullable SslBundle bundle;
    private @Nullable SSLContext context;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(BUNDLE_CONFIG);
        if (!(value instanceof SslBundle sslBundle)) {
            throw new IllegalStateException("No SSL bundle under " + BUNDLE_CONFIG + " in the producer settings");
        }
        this.bundle = sslBundle;
        this.context = sslBundle.createSslContext();
    }

    private SslBundle bundle() {
        SslBundle b = bundle;
        if (b == null) {
            throw new IllegalStateException("SslBundleEngineFactory used before configure()");
        }
        return b;
    }

    private SSLContext context() {
        SSLContext c = context;
        if (c == null) {
            throw new IllegalStateException("SslBundleEngineFactory used before configure()");
        }
        return c;
    }

    @Override
    public SSLEngine createClientSslEngine(String peerHost, int peerPort, String endpointIdentification) {
        SSLEngine engine = context().createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(endpointIdentification);
        engine.setSSLParameters(parameters);
        applyOptions(engine);
        return engine;
    }

    @Override
    public SSLEngine createServerSslEngine(String peerHost, int peerPort) {
        SSLEngine engine = context().createSSLEngine(peerHost, peerPort);
        engine.setUseClientMode(false);
        applyOptions(engine);
        return engine;
    }

    private void applyOptions(SSLEngine engine) {
        SslOptions options = bundle().getOptions();
        String[] ciphers = options.getCiphers();
        if (ciphers != null) {
            engine.setEnabledCipherSuites(ciphers);
        }
        String[] protocols = options.getEnabledProtocols();
        if (protocols != null) {
            engine.setEnabledProtocols(protocols);
        }
    }

    @Override
    public boolean shouldBeRebuilt(Map<String, Object> nextConfigs) {
        return false;
    }

    @Override
    public Set<String> reconfigurableConfigs() {
        return Set.of();
    }

    @Override
    public @Nullable KeyStore keystore() {
        return bundle().getStores().getKeyStore();
    }

    @Override
    public @Nullable KeyStore truststore() {
        return bundle().getStores().getTrustStore();
    }

    @Override
    public void close() {
        this.context = null;
    }
}
