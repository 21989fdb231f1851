package io.persistencelog.http;

import java.util.Set;

/** What an HTTP answer (or the lack of one) means for the request that got it. */
public enum HttpVerdict {

    /** 2xx: delivered; never sent again. */
    SUCCESS,
    /** No answer, 408, 429 or 5xx: worth another try after a wait. */
    RETRYABLE,
    /** Any other status: the server refused this request; sending it again cannot help. */
    PERMANENT,
    /**
     * The server refused the credentials (401/403 by default; a backend may name others, such as Slack's
     * 404/410 for a deleted webhook): every later request would be refused too.
     */
    AUTH;

    /** Classifies a status (0 = no answer) with the given statuses meaning "credentials refused". */
    public static HttpVerdict of(int status, Set<Integer> authStatuses) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status == 0 || status == 408 || status == 429 || status >= 500) {
            return RETRYABLE;
        }
        return authStatuses.contains(status) ? AUTH : PERMANENT;
    }
}
