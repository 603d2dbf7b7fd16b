def test_home_page_is_public_and_explains_the_platform(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Commission children" in html
    assert "There are no open forums yet" in html
