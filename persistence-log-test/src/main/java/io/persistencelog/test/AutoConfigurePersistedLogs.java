package io.persistencelog.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest} (or a slice test such as {@code @WebMvcTest}): persists the application's log
 * entries to an in-memory backend as well, selected next to the backends the application chose, and provides
 * a {@link PersistedLogs} bean to assert on. Entries are cleared before each test method.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigurePersistedLogs
 * class PaymentTests {
 *     @Autowired PersistedLogs persistedLogs;
 *
 *     @Test
 *     void failedPaymentIsLogged() {
 *         ...
 *         assertThat(persistedLogs).hasEntry(ERROR, "Payment failed")
 *                 .withField("order_id", 42).withError(IllegalStateException.class);
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration // the list: META-INF/spring/io.persistencelog.test.AutoConfigurePersistedLogs.imports
public @interface AutoConfigurePersistedLogs {
}
