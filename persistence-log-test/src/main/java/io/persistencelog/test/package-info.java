/**
 * Test support: assert in {@code @SpringBootTest} and slice tests on the entries the application persisted.
 * Add {@code persistence-log-test} with test scope, annotate the test class with
 * {@link io.persistencelog.test.AutoConfigurePersistedLogs} and use
 * {@link io.persistencelog.test.PersistenceLogAssertions#assertThat(io.persistencelog.test.PersistedLogs)}.
 */
@NullMarked
package io.persistencelog.test;

import org.jspecify.annotations.NullMarked;
