from django.urls import path

from api.views_areas import AreaDetailApi, AreaListApi, AreaLookupApi
from api.views_campaigns import CampaignDetailApi, CampaignEntriesApi, CampaignListApi
from api.views_models import ModelAdoptApi, ModelDetailApi, ModelExportApi, ModelImportApi, ModelListApi, ModelSchemaApi
from api.views_polls import PollBallotsApi, PollDetailApi, PollListApi, PollVoteApi
from api.views_proposals import ProposalCommentsApi, ProposalDetailApi, ProposalListApi, ProposalSupportsApi
from api.views_reports import (
    CategoryDetailApi,
    CategoryListApi,
    ReportCommentsApi,
    ReportDetailApi,
    ReportListCreateApi,
    ReportSupportApi,
)
from api.views_scorecards import ScorecardDetailApi, ScorecardListApi
from api.views_topics import TopicDetailApi, TopicListApi, TopicStatementsApi, TopicVoteApi

app_name = "api"

urlpatterns = [
    path("areas/lookup", AreaLookupApi.as_view(), name="area-lookup"),
    path("areas/", AreaListApi.as_view(), name="area-list"),
    path("areas/<str:code>/", AreaDetailApi.as_view(), name="area-detail"),
    path("reports/", ReportListCreateApi.as_view(), name="report-list"),
    path("reports/<str:report_id>/", ReportDetailApi.as_view(), name="report-detail"),
    path("reports/<str:report_id>/comments/", ReportCommentsApi.as_view(), name="report-comments"),
    path("reports/<str:report_id>/support/", ReportSupportApi.as_view(), name="report-support"),
    path("categories/", CategoryListApi.as_view(), name="category-list"),
    path("categories/<str:code>/", CategoryDetailApi.as_view(), name="category-detail"),
    path("scorecards/", ScorecardListApi.as_view(), name="scorecard-list"),
    path("scorecards/<str:code>/", ScorecardDetailApi.as_view(), name="scorecard-detail"),
    path("campaigns/", CampaignListApi.as_view(), name="campaign-list"),
    path("campaigns/<str:slug>/", CampaignDetailApi.as_view(), name="campaign-detail"),
    path("campaigns/<str:slug>/entries/", CampaignEntriesApi.as_view(), name="campaign-entries"),
    path("polls/", PollListApi.as_view(), name="poll-list"),
    path("polls/<str:poll_id>/", PollDetailApi.as_view(), name="poll-detail"),
    path("polls/<str:poll_id>/vote/", PollVoteApi.as_view(), name="poll-vote"),
    path("polls/<str:poll_id>/ballots.jsonl", PollBallotsApi.as_view(), name="poll-ballots"),
    path("proposals/", ProposalListApi.as_view(), name="proposal-list"),
    path("proposals/<int:proposal_id>/", ProposalDetailApi.as_view(), name="proposal-detail"),
    path("proposals/<int:proposal_id>/supports/", ProposalSupportsApi.as_view(), name="proposal-supports"),
    path("proposals/<int:proposal_id>/comments/", ProposalCommentsApi.as_view(), name="proposal-comments"),
    path("topics/", TopicListApi.as_view(), name="topic-list"),
    path("topics/<int:topic_id>/", TopicDetailApi.as_view(), name="topic-detail"),
    path("topics/<int:topic_id>/statements/", TopicStatementsApi.as_view(), name="topic-statements"),
    path("topics/<int:topic_id>/statements/<int:statement_id>/vote/", TopicVoteApi.as_view(), name="topic-vote"),
    # standard models: the reserved slugs first
    path("models/", ModelListApi.as_view(), name="model-list"),
    path("models/schema.json", ModelSchemaApi.as_view(), name="model-schema"),
    path("models/import/", ModelImportApi.as_view(), name="model-import"),
    path("models/<str:slug>/", ModelDetailApi.as_view(), name="model-detail"),
    path("models/<str:slug>/export/", ModelExportApi.as_view(), name="model-export"),
    path("models/<str:slug>/adopt/", ModelAdoptApi.as_view(), name="model-adopt"),
]
