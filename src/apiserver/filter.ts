// labelSelector and fieldSelector query parameters → one predicate over objects.
import { checkFieldSelector, fieldsOf, isEmptyFieldSelector, matchesFields, parseFieldSelector, type FieldSelector } from '../api/fields.js';
import { isEmptySelector, matchesLabels, parseLabelSelector, type LabelSelector } from '../api/labels.js';
import type { KubeObject } from '../api/meta.js';
import { badRequest } from './status.js';
import type { Predicate } from './watch-cache.js';

export interface RequestFilter {
  predicate: Predicate;
  label: LabelSelector;
  field: FieldSelector;
}

export function requestFilter(resource: string, query: URLSearchParams): RequestFilter {
  let label: LabelSelector;
  let field: FieldSelector;
  try {
    label = parseLabelSelector(query.get('labelSelector') ?? '');
  } catch (err) {
    throw badRequest(`unable to parse requirement: ${(err as Error).message}`);
  }
  try {
    field = parseFieldSelector(query.get('fieldSelector') ?? '');
    checkFieldSelector(resource, field);
  } catch (err) {
    throw badRequest(`${(err as Error).message}`);
  }
  const noLabels = isEmptySelector(label);
  const noFields = isEmptyFieldSelector(field);
  const predicate: Predicate =
    noLabels && noFields
      ? () => true
      : (obj: KubeObject) =>
          (noLabels || matchesLabels(label, obj.metadata.labels)) && (noFields || matchesFields(field, fieldsOf(resource, obj)));
  return { predicate, label, field };
}
