import {
  createTranslationRef,
  TranslationFunction,
  TranslationRef,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';

/**
 * The pages' words, in one place: an app can reword or translate them through its
 * translation resources (`containerRegistryTranslationRef`).
 */
export const containerRegistryTranslationRef = createTranslationRef({
  id: 'container-registry',
  messages: {
    listTitle: 'Container registries',
    listSubtitle: "Where the catalog's container images come from",
    addRegistry: 'Add registry',
    editRegistry: 'Edit registry: {{name}}',
    emptyTitle: 'No container registries yet',
    emptyDescription:
      'Add one with "Add registry", or under containerRegistry.registries in app-config.yaml.',
    sourceConfig: 'app-config (read-only)',
    sourceDatabase: 'added on this page',
    readOnlyNotice:
      'This registry is defined in app-config and is read-only here: change it in the configuration and restart.',
    never: 'Never',
    notScheduled: 'Not scheduled',
    inactive: 'Inactive: not crawled',
    testConnection: 'Test connection',
    previewFilters: "Preview filters on the last crawl's images",
    refreshStatus: 'Refresh status',
    updateImages: 'Update images list',
    cancelCrawl: 'Cancel crawl',
    edit: 'Edit',
    delete: 'Delete',
    save: 'Save',
    cancel: 'Cancel',
    secretSet: 'set',
    secretNotSet: 'not set',
    replaceSecret: 'Replace',
    keepSecret: 'Keep the stored one',
    testWithoutStoredSecret:
      'Testing changed settings sends no stored secret: replace it to test with it, or save and test from the registry page.',
    crawlUnderWay:
      'A crawl of this registry is already under way; wait for it to end or cancel it.',
    deleteTitle: 'Delete {{name}}?',
    deleteBody_one:
      "{{count}} image will leave the catalog. The registry's settings, credentials and crawl history are removed. This cannot be undone.",
    deleteBody_other:
      "{{count}} images will leave the catalog. The registry's settings, credentials and crawl history are removed. This cannot be undone.",
    fixErrors: 'Some fields need attention; see the messages beside them.',
  },
});

type PageMessages =
  typeof containerRegistryTranslationRef extends TranslationRef<
    string,
    infer TMessages
  >
    ? TMessages
    : never;

/** The translation function of the pages, for helpers that are not components. */
export type PageTranslation = TranslationFunction<PageMessages>;

/** The translation function of the pages. */
export function usePageTranslation(): PageTranslation {
  return useTranslationRef(containerRegistryTranslationRef).t;
}
