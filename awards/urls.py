from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("rule-sets/", views.rule_set_list, name="rule_set_list"),
    path("rule-sets/<int:pk>/", views.rule_set_detail, name="rule_set_detail"),
    path("rule-sets/<int:pk>/copy/", views.rule_set_copy, name="rule_set_copy"),
    path("rule-sets/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("bloc-years/<int:pk>/rules/", views.blocyear_rules, name="blocyear_rules"),
    path("bloc-years/<int:pk>/rules/choose/", views.blocyear_rule_set_choose, name="blocyear_rule_set_choose"),
]
