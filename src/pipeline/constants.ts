/**
 * Most bytes of document content one source page reads (producer and
 * verifier): a page of documents ends before the document that would pass
 * it. Above the target's 25 MiB limit, so a document the target accepts is
 * always read, alone on its page at worst; far below the producer's and the
 * verifier's memory (1 GiB each).
 */
export const SOURCE_PAGE_BYTES = 32 * 1024 * 1024;
