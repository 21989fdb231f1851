package io.persistencelog.autoconfigure;

import java.util.Map;

/**
 * A section of {@code /actuator/logpersistence} beyond the pipeline's own, e.g. {@code capture}. Beans of
 * this type are added to the report under their {@link #section()} name.
 */
public interface LogPersistenceReportContributor {

    String section();

    /** Figures for the report; must not contain secrets. */
    Map<String, Object> figures();
}
