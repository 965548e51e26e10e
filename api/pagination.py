from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """`page` (from 1) and `page_size` (default 50, at most 200): each page costs the same few queries."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    page_query_description = "Номер страницы, с 1."
    page_size_query_description = "Строк на странице: по умолчанию 50, не больше 200."
